"""CORS: scripts on the embed origins may call the API; other sites get no CORS and no writes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import Reply
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import login_on
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_user
from tests.factories import set_rules
from tests.web.api.conftest import bearer

BLOG = "https://blog.example.org"
EVIL = "https://evil.example"


def _from(origin: str) -> dict[str, str]:
    """What a browser sends with a script's cross-site fetch."""
    return {"Origin": origin, "Sec-Fetch-Site": "cross-site"}


@pytest.fixture
def cors_client() -> Iterator[FlaskClient]:
    """CSRF on, as in production, and one allowed host site (written as people write it)."""
    app = make_app(WTF_CSRF_ENABLED=True, EMBED_ORIGINS="https://Blog.example.org/, https://x.org")
    app.test_client_class = RequestScopedClient
    with database_for(app), app.app_context():
        set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01)
        yield app.test_client()


def _preflight(client: FlaskClient, origin: str) -> object:
    return client.options(
        "/api/v1/moderation/actions",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_preflight_from_embed_origin_allows_the_method_and_headers(cors_client: FlaskClient):
    response = _preflight(cors_client, BLOG)
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == BLOG
    assert response.headers["Access-Control-Allow-Credentials"] == "true"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    allowed = response.headers["Access-Control-Allow-Headers"].lower()
    assert {"authorization", "content-type", "x-csrftoken"} <= set(allowed.split(", "))


def test_preflight_from_other_origin_gets_no_cors(cors_client: FlaskClient):
    response = _preflight(cors_client, EVIL)
    assert "Access-Control-Allow-Origin" not in response.headers
    assert "Access-Control-Allow-Methods" not in response.headers


def test_reads_name_the_embed_origin_only_and_vary_on_origin(cors_client: FlaskClient):
    allowed = cors_client.get("/api/v1/categories", headers=_from(BLOG))
    assert allowed.headers["Access-Control-Allow-Origin"] == BLOG
    assert "Origin" in allowed.headers["Vary"]
    other = cors_client.get("/api/v1/categories", headers=_from(EVIL))
    assert other.status_code == 200  # the browser, not the server, keeps the page from it
    assert "Access-Control-Allow-Origin" not in other.headers
    assert "Origin" in other.headers["Vary"]
    page = cors_client.get("/", headers=_from(BLOG))  # the site's pages are not opened up
    assert "Access-Control-Allow-Origin" not in page.headers


def test_token_write_from_embed_origin_is_accepted(cors_client: FlaskClient):
    post = make_post()
    headers = {**_from(BLOG), **bearer(make_user(), "write")}
    response = cors_client.post(
        f"/api/v1/posts/{post.slug}/replies", json={"body": "From the blog"}, headers=headers
    )
    assert response.status_code == 201
    assert response.headers["Access-Control-Allow-Origin"] == BLOG


def test_token_write_from_other_origin_is_refused(cors_client: FlaskClient):
    post = make_post()
    headers = {**_from(EVIL), **bearer(make_user(), "write")}
    response = cors_client.post(
        f"/api/v1/posts/{post.slug}/replies", json={"body": "Forged"}, headers=headers
    )
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert db.session.query(Reply).count() == 0


def test_cookie_write_from_embed_origin_needs_the_csrf_token(cors_client: FlaskClient):
    post = make_post()
    login_on(cors_client, make_user())
    url = f"/api/v1/posts/{post.slug}/replies"
    refused = cors_client.post(url, json={"body": "No token"}, headers=_from(BLOG))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["code"] == "csrf_failed"
    assert refused.headers["Access-Control-Allow-Origin"] == BLOG  # the script can read why
    assert db.session.query(Reply).count() == 0
    fetched = cors_client.get("/session/csrf", headers=_from(BLOG))
    assert fetched.headers["Access-Control-Allow-Origin"] == BLOG
    token = fetched.get_json()["csrf_token"]
    headers = {**_from(BLOG), "X-CSRFToken": token}
    assert cors_client.post(url, json={"body": "With token"}, headers=headers).status_code == 201


def test_cookie_write_from_other_origin_is_refused_even_with_a_token(cors_client: FlaskClient):
    post = make_post()
    login_on(cors_client, make_user())
    token = cors_client.get("/session/csrf").get_json()["csrf_token"]
    response = cors_client.post(
        f"/api/v1/posts/{post.slug}/replies",
        json={"body": "Forged"},
        headers={**_from(EVIL), "X-CSRFToken": token},
    )
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers
    assert db.session.query(Reply).count() == 0
