"""CSRF without a token in cached pages: another site's requests are refused on every route."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Like
from forum.models import Reply
from tests.conftest import database_for
from tests.conftest import login_on
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

GUEST = {"body": "Hello", "name": "Gus", "email": "gus@example.org"}
FOREIGN = [
    {"Origin": "https://evil.example"},
    {"Origin": "null"},  # sandboxed frames and some redirects
    {"Origin": "http://localhost:8080"},  # same host name, another port: another origin
    {"Sec-Fetch-Site": "cross-site"},
    {"Sec-Fetch-Site": "same-site"},  # a sibling subdomain is another origin too
    {"Sec-Fetch-Site": "cross-site", "Origin": "http://localhost"},  # Sec-Fetch-Site wins
]


def _state_changing_urls(app: Flask) -> list[str]:
    urls = []
    for rule in app.url_map.iter_rules():
        if rule.methods and rule.methods & {"POST", "PUT", "PATCH", "DELETE"}:
            path = rule.rule
            for name in rule.arguments:
                path = path.replace(f"<int:{name}>", "1").replace(f"<{name}>", "x")
            urls.append(path)
    return urls


@pytest.fixture
def admin_client() -> Any:
    """CSRF on, as in production, with an admin signed in so no route refuses for lack of rights."""
    app = make_app(WTF_CSRF_ENABLED=True)
    from tests.conftest import RequestScopedClient

    app.test_client_class = RequestScopedClient
    with database_for(app):
        client = app.test_client()
        login_on(client, make_user(role="admin"))
        yield client


def test_every_state_changing_route_refuses_another_origin(admin_client: FlaskClient) -> None:
    urls = _state_changing_urls(admin_client.application)
    assert len(urls) > 30
    for url in urls:
        for headers in FOREIGN:
            response = admin_client.post(url, data={"csrf_token": "x"}, headers=headers)
            assert response.status_code == 403, (url, headers)
            assert "sent from another site" in response.get_data(as_text=True)


def _counts() -> tuple[int, int]:
    return (
        db.session.scalar(select(func.count(Reply.id))) or 0,
        db.session.scalar(select(func.count(Like.id))) or 0,
    )


def test_cross_origin_reply_and_like_store_nothing(csrf_client: FlaskClient) -> None:
    post = make_post()
    reply = make_reply(post)
    before = _counts()
    for headers in FOREIGN:
        csrf_client.post(f"/t/{post.slug}/replies", data=GUEST, headers=headers)
        csrf_client.post(f"/replies/{reply.id}/like", data={"liked": "1"}, headers=headers)
    assert _counts() == before


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "http://localhost"},
        {"Sec-Fetch-Site": "same-origin"},
        {"Sec-Fetch-Site": "same-origin", "Origin": "http://localhost"},
    ],
)
def test_same_origin_form_from_a_cached_page_needs_no_token(
    csrf_client: FlaskClient, headers: dict[str, str]
) -> None:
    set_rules(hold_first_time=False, flood_seconds=0)
    post = make_post()
    reply = make_reply(post)
    page = csrf_client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert 'name="csrf_token" value=""' in page  # the cached page's forms carry no token
    posted = csrf_client.post(f"/t/{post.slug}/replies", data=GUEST, headers=headers)
    liked = csrf_client.post(f"/replies/{reply.id}/like", data={"liked": "1"}, headers=headers)
    assert posted.status_code == 303
    assert liked.status_code == 303
    assert _counts() == (2, 1)


def test_site_url_origin_is_accepted_behind_a_proxy() -> None:
    app = make_app(WTF_CSRF_ENABLED=True, SITE_URL="https://talk.example.org")
    with database_for(app):
        post = make_post()
        reply = make_reply(post)
        client = app.test_client()
        headers = {"Origin": "https://talk.example.org"}  # the proxy sent Host: 127.0.0.1:8000
        response = client.post(
            f"/replies/{reply.id}/like",
            data={"liked": "1"},
            headers=headers,
            base_url="http://127.0.0.1:8000",
        )
        assert response.status_code == 303


def test_request_without_origin_headers_or_token_is_refused(csrf_client: FlaskClient) -> None:
    post = make_post()
    reply = make_reply(post)
    assert csrf_client.post(f"/t/{post.slug}/replies", data=GUEST).status_code == 400
    assert csrf_client.post(f"/replies/{reply.id}/like", data={"liked": "1"}).status_code == 400
    assert _counts() == (1, 0)


def test_forms_on_uncached_pages_still_need_their_token_from_the_same_origin(
    csrf_client: FlaskClient,
) -> None:
    member = login_on(csrf_client, make_user())
    same = {"Origin": "http://localhost"}
    refused = csrf_client.post("/account/logout", headers=same)
    assert refused.status_code == 400
    token = csrf_client.get("/session/csrf").get_json()["csrf_token"]
    signed_out = csrf_client.post("/account/logout", data={"csrf_token": token}, headers=same)
    assert signed_out.status_code in (302, 303)
    assert member.display_name not in csrf_client.get("/").get_data(as_text=True)


def test_csrf_endpoint_is_never_cached(csrf_client: FlaskClient) -> None:
    response = csrf_client.get("/session/csrf")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "Set-Cookie" in response.headers  # the token's secret half lives in the session
