"""Signing in to the widget: the handoff from the first-party window, the partitioned cookie,
the widget's CSRF token, and what a member can do in the frame (like, report, nested reply)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Flag
from forum.models import Like
from forum.models import Reply
from forum.models import User
from forum.services.accounts import new_session_token
from forum.web.embed import session as embed_session
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import login_on
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

HOST = "https://blog.example.org"
PAGE = f"{HOST}/2026/08/part-3/"
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
NONCE = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"


@pytest.fixture
def embed_app() -> Iterator[Flask]:
    app = make_app(WTF_CSRF_ENABLED=True, EMBED_ORIGINS=HOST)
    app.test_client_class = RequestScopedClient
    with database_for(app):
        set_rules(
            hold_first_time=False, flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01
        )
        yield app


@pytest.fixture
def frame(embed_app: Flask) -> FlaskClient:
    """The widget's frame with third-party cookies blocked: only what a test sends by hand."""
    return embed_app.test_client(use_cookies=False)


def _code(app: Flask, user: User, nonce: str = NONCE) -> str:
    with app.test_request_context():
        return embed_session.handoff_code(user, nonce)


def _claim(frame: FlaskClient, code: str, nonce: str = NONCE) -> Any:
    return frame.post("/embed/session", data={"code": code, "nonce": nonce}, headers=SAME_ORIGIN)


def _signed_in(app: Flask, frame: FlaskClient, user: User) -> dict[str, str]:
    """Headers of a frame request carrying the widget cookie the claim set."""
    response = _claim(frame, _code(app, user))
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"].split(";", 1)[0]
    return {**SAME_ORIGIN, "Cookie": cookie}


def _token(frame: FlaskClient, headers: dict[str, str]) -> str:
    page = frame.get("/embed/thread", query_string={"url": PAGE}, headers=headers).text
    marker = 'name="embed_csrf" value="'
    assert marker in page
    return page.split(marker, 1)[1].split('"', 1)[0]


def _fields(**extra: str) -> dict[str, str]:
    return {"page_url": PAGE, "page_title": "Part 3", "page_theme": "light", **extra}


def test_sign_in_window_without_session_sends_to_the_normal_sign_in(frame: FlaskClient) -> None:
    response = frame.get("/embed/signin", query_string={"nonce": NONCE})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")
    assert NONCE in response.headers["Location"]


def test_sign_in_window_when_signed_in_hands_a_code_and_refuses_framing(
    embed_app: Flask,
) -> None:
    browser = embed_app.test_client()
    login_on(browser, make_user(display_name="Ada"))
    response = browser.get("/embed/signin", query_string={"nonce": NONCE})
    assert response.status_code == 200
    assert "data-porch-handoff=" in response.text and "Ada" in response.text
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_claim_sets_a_partitioned_secure_cookie_for_the_frame_only(
    embed_app: Flask, frame: FlaskClient
) -> None:
    response = _claim(frame, _code(embed_app, make_user()))
    assert response.status_code == 200
    cookie = response.headers["Set-Cookie"]
    attributes = {part.strip().split("=")[0] for part in cookie.split(";")[1:]}
    assert {"Secure", "HttpOnly", "Partitioned"} <= attributes
    assert "SameSite=None" in cookie and "Path=/embed/" in cookie


def test_claim_with_code_for_another_nonce_is_refused(embed_app: Flask, frame: FlaskClient) -> None:
    code = _code(embed_app, make_user())
    response = _claim(frame, code, nonce="another1234")
    assert response.status_code == 400
    assert "Set-Cookie" not in response.headers


def test_claim_with_expired_code_is_refused(
    embed_app: Flask, frame: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    code = _code(embed_app, make_user())
    monkeypatch.setattr(embed_session, "HANDOFF_MAX_AGE", embed_session.timedelta(seconds=-1))
    assert _claim(frame, code).status_code == 400


def test_claim_from_another_site_is_refused(embed_app: Flask, frame: FlaskClient) -> None:
    code = _code(embed_app, make_user())
    response = frame.post(
        "/embed/session", data={"code": code, "nonce": NONCE}, headers={"Origin": HOST}
    )
    assert response.status_code == 403
    assert "porch_embed" not in response.headers.get("Set-Cookie", "")


def test_view_thread_with_widget_cookie_shows_member_and_posts_as_them(
    embed_app: Flask, frame: FlaskClient
) -> None:
    user = make_user(display_name="Ada")
    headers = _signed_in(embed_app, frame, user)
    page = frame.get("/embed/thread", query_string={"url": PAGE}, headers=headers)
    assert "Signed in as" in page.text and "Ada" in page.text
    assert 'name="email"' not in page.text  # no guest fields
    data = _fields(body="Hello from the widget", embed_csrf=_token(frame, headers))
    assert frame.post("/embed/thread", data=data, headers=headers).status_code == 303
    reply = db.session.scalar(select(Reply))
    assert reply is not None and reply.author_id == user.id


def test_post_with_widget_cookie_but_no_token_is_refused(
    embed_app: Flask, frame: FlaskClient
) -> None:
    headers = _signed_in(embed_app, frame, make_user())
    reply_id = make_reply(make_post(original_url=PAGE)).id
    response = frame.post(
        f"/embed/replies/{reply_id}/like", data=_fields(liked="1"), headers=headers
    )
    assert response.status_code == 403
    assert "expired" in response.text
    assert db.session.scalar(select(func.count(Like.id))) == 0


@pytest.mark.parametrize(
    "cross_site",
    [{"Sec-Fetch-Site": "cross-site"}, {"Origin": HOST}],
    ids=["sec-fetch-site", "origin"],
)
def test_like_from_another_site_with_widget_cookie_and_token_is_refused(
    embed_app: Flask, frame: FlaskClient, cross_site: dict[str, str]
) -> None:
    headers = _signed_in(embed_app, frame, make_user())
    token = _token(frame, headers)
    reply_id = make_reply(make_post(original_url=PAGE)).id
    response = frame.post(
        f"/embed/replies/{reply_id}/like",
        data=_fields(liked="1", embed_csrf=token),
        headers={"Cookie": headers["Cookie"], **cross_site},
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Like.id))) == 0


def test_like_in_frame_as_member_counts_and_unlike_takes_it_back(
    embed_app: Flask, frame: FlaskClient
) -> None:
    headers = _signed_in(embed_app, frame, make_user())
    token = _token(frame, headers)
    reply_id = make_reply(make_post(original_url=PAGE)).id
    url = f"/embed/replies/{reply_id}/like"
    response = frame.post(url, data=_fields(liked="1", embed_csrf=token), headers=headers)
    assert response.status_code == 303 and f"#c{reply_id}" in response.headers["Location"]
    page = frame.get(response.headers["Location"], headers=headers).text
    assert "Liked by 1 person" in page and 'aria-pressed="true"' in page
    frame.post(url, data=_fields(liked="0", embed_csrf=token), headers=headers)
    assert db.session.scalar(select(func.count(Like.id))) == 0


def test_like_in_frame_as_guest_asks_to_sign_in(frame: FlaskClient) -> None:
    reply_id = make_reply(make_post(original_url=PAGE)).id
    page = frame.get("/embed/thread", query_string={"url": PAGE}).text
    assert f'action="/embed/replies/{reply_id}/like"' not in page
    assert "Sign in to like replies" in page
    response = frame.post(
        f"/embed/replies/{reply_id}/like", data=_fields(liked="1"), headers=SAME_ORIGIN
    )
    assert "notice=sign-in-to-like" in response.headers["Location"]
    assert "Sign in to like replies." in frame.get(response.headers["Location"]).text
    assert db.session.scalar(select(func.count(Like.id))) == 0


def test_report_in_frame_as_member_stores_the_report_and_thanks(
    embed_app: Flask, frame: FlaskClient
) -> None:
    headers = _signed_in(embed_app, frame, make_user())
    reply_id = make_reply(make_post(original_url=PAGE), body_source="Buy pills").id
    form = frame.get(
        f"/embed/replies/{reply_id}/report", query_string={"url": PAGE}, headers=headers
    )
    assert "Why are you reporting this reply?" in form.text and "Buy pills" in form.text
    token = form.text.split('name="embed_csrf" value="', 1)[1].split('"', 1)[0]
    response = frame.post(
        f"/embed/replies/{reply_id}/report",
        data=_fields(reason="spam", note="", embed_csrf=token),
        headers=headers,
    )
    assert response.status_code == 303
    assert (
        "Thanks — a moderator will look at it."
        in frame.get(response.headers["Location"], headers=headers).text
    )
    assert db.session.scalar(select(func.count(Flag.id))) == 1


def test_report_in_frame_without_reason_explains(embed_app: Flask, frame: FlaskClient) -> None:
    headers = _signed_in(embed_app, frame, make_user())
    token = _token(frame, headers)
    reply_id = make_reply(make_post(original_url=PAGE)).id
    response = frame.post(
        f"/embed/replies/{reply_id}/report", data=_fields(embed_csrf=token), headers=headers
    )
    assert response.status_code == 400
    assert "Please choose why you are reporting this reply." in response.text


def test_reply_to_a_reply_in_frame_puts_the_form_under_it_and_nests(
    frame: FlaskClient,
) -> None:
    post = make_post(original_url=PAGE)
    parent = make_reply(post, guest_name="Bea")
    page = frame.get("/embed/thread", query_string={"url": PAGE, "reply_to": parent.id}).text
    assert "Reply to Bea" in page and f'name="parent_id" value="{parent.id}"' in page
    assert page.index(f'id="c{parent.id}"') < page.index('id="embed-reply"')
    data = _fields(
        body="Answering Bea", name="Gus", email="gus@example.org", parent_id=str(parent.id)
    )
    assert frame.post("/embed/thread", data=data, headers=SAME_ORIGIN).status_code == 303
    child = db.session.scalar(select(Reply).where(Reply.body_source == "Answering Bea"))
    assert child is not None and child.parent_id == parent.id


def test_reply_to_unknown_reply_shows_the_form_under_the_thread(frame: FlaskClient) -> None:
    make_reply(make_post(original_url=PAGE))
    page = frame.get("/embed/thread", query_string={"url": PAGE, "reply_to": "999"}).text
    assert "Leave a reply" in page and 'name="parent_id"' not in page


def test_sign_out_deletes_the_partitioned_cookie(embed_app: Flask, frame: FlaskClient) -> None:
    headers = _signed_in(embed_app, frame, make_user())
    response = frame.post(
        "/embed/signout", data=_fields(embed_csrf=_token(frame, headers)), headers=headers
    )
    assert response.status_code == 303 and "notice=signed-out" in response.headers["Location"]
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("porch_embed=;") and "Max-Age=0" in cookie
    assert "Partitioned" in cookie and "Path=/embed/" in cookie


def test_widget_cookie_ends_when_member_signs_out_everywhere(
    embed_app: Flask, frame: FlaskClient
) -> None:
    user = make_user(display_name="Ada")
    headers = _signed_in(embed_app, frame, user)
    user.session_token = new_session_token()
    db.session.commit()
    page = frame.get("/embed/thread", query_string={"url": PAGE}, headers=headers).text
    assert "Signed in as" not in page


def test_widget_cookie_signs_in_nowhere_outside_the_frame(
    embed_app: Flask, frame: FlaskClient
) -> None:
    headers = _signed_in(embed_app, frame, make_user())
    assert frame.get("/embed/signin", headers=headers).status_code == 302  # to the sign-in page
    assert frame.get("/account/settings", headers=headers).status_code in (302, 401)


def test_sign_in_window_without_nonce_says_to_go_back_and_hands_nothing(
    embed_app: Flask,
) -> None:
    browser = embed_app.test_client()
    login_on(browser, make_user())
    response = browser.get("/embed/signin")
    assert response.status_code == 200
    assert "data-porch-handoff=" not in response.text
    assert "press “Sign in” there again" in response.text


def test_guest_report_link_opens_porch_own_report_page(frame: FlaskClient) -> None:
    reply_id = make_reply(make_post(original_url=PAGE)).id
    page = frame.get("/embed/thread", query_string={"url": PAGE}).text
    assert f'href="/replies/{reply_id}/report"' in page  # first-party window (base target)
    assert f"/embed/replies/{reply_id}/report" not in page
