"""Posting replies and likes through the web, including every kind of bad input."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Like
from forum.models import Reply
from forum.models import ReplyStatus
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

GUEST = {"name": "Ada", "email": "ada@example.org", "url": ""}

pytestmark = pytest.mark.usefixtures("open_rules")


def _reply_count() -> int:
    return db.session.scalar(select(func.count(Reply.id))) or 0


def _post(client: FlaskClient, slug: str, **fields: Any) -> Any:
    return client.post(f"/t/{slug}/replies", data={**GUEST, **fields})


def test_guest_reply_is_stored_sanitised_and_author_lands_on_its_anchor(
    client: FlaskClient,
) -> None:
    post = make_post()
    response = _post(
        client, post.slug, body="Hello <script>alert(1)</script>**friends** https://example.org"
    )
    reply = db.session.scalars(select(Reply)).one()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{post.slug}#c{reply.id}"
    assert reply.body_html == (
        '<p>Hello <strong>friends</strong> <a href="https://example.org" '
        'rel="nofollow ugc noopener">https://example.org</a></p>'
    )
    assert reply.guest_name == "Ada" and reply.guest_email == "ada@example.org"
    assert reply.status == ReplyStatus.APPROVED
    page = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "ada@example.org" not in page
    assert "<strong>friends</strong>" in page and "alert(1)" not in page


def test_reply_to_a_reply_is_nested_under_it(client: FlaskClient) -> None:
    post = make_post()
    parent = make_reply(post)
    response = _post(client, post.slug, body="Answering you", parent_id=str(parent.id))
    child = db.session.scalars(select(Reply).where(Reply.parent_id == parent.id)).one()
    assert response.status_code == 303
    assert child.depth == 1 and child.root_id == parent.id
    assert child.path == f"{parent.path}/{child.id:010d}"


def test_reply_to_reply_on_later_page_redirects_to_that_page(
    app: Flask, client: FlaskClient
) -> None:
    app.config["REPLIES_PER_PAGE"] = 1
    post = make_post()
    make_reply(post)
    second = make_reply(post)
    response = _post(client, post.slug, body="Late answer", parent_id=str(second.id))
    child = db.session.scalars(select(Reply).where(Reply.parent_id == second.id)).one()
    assert response.headers["Location"] == f"/t/{post.slug}?page=2#c{child.id}"


def test_signed_in_member_posts_without_name_or_email(client: FlaskClient, login) -> None:  # type: ignore[no-untyped-def]
    post = make_post()
    member = login(make_user(display_name="Maren"))
    response = client.post(f"/t/{post.slug}/replies", data={"body": "From my account"})
    reply = db.session.scalars(select(Reply)).one()
    assert response.status_code == 303
    assert reply.author_id == member.id and reply.guest_email is None
    page = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "You are commenting as <strong><bdi>Maren</bdi></strong>" in page


def test_banned_member_is_told_why_and_nothing_is_stored(client: FlaskClient, login: Any) -> None:
    post = make_post()
    reply = make_reply(post)
    login(make_user(banned_at=datetime.now(UTC), ban_reason="repeated spam"))
    posted = client.post(f"/t/{post.slug}/replies", data={"body": "Let me in"})
    liked = client.post(f"/replies/{reply.id}/like", data={"liked": "1"})
    assert posted.status_code == liked.status_code == 403
    assert "Your account is banned" in posted.get_data(as_text=True)
    assert "Reason: repeated spam" in posted.get_data(as_text=True)
    assert _reply_count() == 1
    assert db.session.scalar(select(func.count(Like.id))) == 0


def test_held_guest_reply_is_visible_to_its_browser_only(app: Flask, client: FlaskClient) -> None:
    post = make_post()
    _post(client, post.slug, body="My held thought")
    reply = db.session.scalars(select(Reply)).one()
    reply.status = ReplyStatus.PENDING
    db.session.commit()
    mine = client.get(f"/t/{post.slug}").get_data(as_text=True)
    other_browser = app.test_client().get(f"/t/{post.slug}").get_data(as_text=True)
    assert "My held thought" in mine and "Your reply is awaiting moderation" in mine
    assert "My held thought" not in other_browser


def test_preview_renders_without_storing(client: FlaskClient) -> None:
    post = make_post()
    response = _post(client, post.slug, body="*Look* at this", preview="Preview")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<em>Look</em> at this" in html and "not posted yet" in html
    assert "*Look* at this</textarea>" in html
    assert _reply_count() == 0


def test_preview_as_json_for_scripts(client: FlaskClient) -> None:
    post = make_post()
    response = client.post(
        f"/t/{post.slug}/replies",
        data={**GUEST, "body": "~~old~~", "preview": "Preview"},
        headers={"Accept": "application/json"},
    )
    assert response.get_json() == {"preview_html": "<p><s>old</s></p>"}


def test_json_create_returns_rendered_reply_for_inline_insertion(client: FlaskClient) -> None:
    post = make_post()
    response = client.post(
        f"/t/{post.slug}/replies",
        data={**GUEST, "body": "Inline!"},
        headers={"Accept": "application/json"},
    )
    data = response.get_json()
    assert response.status_code == 201
    assert data["status"] == "approved" and f'id="c{data["id"]}"' in data["html"]
    assert "Inline!" in data["html"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"body": ""}, "body", "Please write something"),
        ({"body": "   \n  "}, "body", "Please write something"),
        ({"body": "x" * 10_001}, "body", "the limit is 10,000"),
        ({"name": ""}, "name", "Please give a name"),
        ({"name": "n" * 81}, "name", "at most 80 characters"),
        ({"email": ""}, "email", "Please give your email"),
        ({"email": "not-an-email"}, "email", "does not look like an email"),
        ({"url": "javascript:alert(1)"}, "url", "http:// or https://"),
        ({"body": "bell \x07 here"}, "body", "characters we cannot store"),
        ({"name": "Ada\x00"}, "name", "characters we cannot store"),
        ({"parent_id": "abc"}, "parent_id", "not valid"),
    ],
)
def test_invalid_reply_gets_400_message_beside_field_and_keeps_text(
    client: FlaskClient, fields: dict[str, str], field: str, message: str
) -> None:
    post = make_post()
    data = {"body": "Keep this text", **fields}
    response = _post(client, post.slug, **data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert f'id="{field}-errors"' in html or field == "parent_id"
    if "body" not in fields:
        assert "Keep this text</textarea>" in html
    assert _reply_count() == 0


def test_invalid_reply_as_json_lists_field_errors(client: FlaskClient) -> None:
    post = make_post()
    response = client.post(
        f"/t/{post.slug}/replies", data={"body": ""}, headers={"Accept": "application/json"}
    )
    errors = response.get_json()["errors"]
    assert response.status_code == 400
    assert set(errors) == {"body", "name", "email"}


def test_non_utf8_body_is_refused(client: FlaskClient) -> None:
    post = make_post()
    raw = b"name=Ada&email=ada%40example.org&body=caf%E9"  # Latin-1 e-acute, not UTF-8
    response = client.post(
        f"/t/{post.slug}/replies", data=raw, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    assert "UTF-8" in response.get_data(as_text=True)
    assert _reply_count() == 0


@pytest.mark.parametrize("case", ["unknown", "other_post", "pending", "deleted"])
def test_bad_parent_is_refused_and_nothing_changes(client: FlaskClient, case: str) -> None:
    post = make_post()
    other = make_post()
    parents = {
        "unknown": None,
        "other_post": make_reply(other),
        "pending": make_reply(post, status=ReplyStatus.PENDING),
        "deleted": make_reply(post, deleted_at=datetime.now(UTC)),
    }
    parent = parents[case]
    before = _reply_count()
    response = _post(
        client, post.slug, body="Orphan", parent_id=str(parent.id if parent else 999_999)
    )
    assert response.status_code == 400
    assert "The reply you are answering" in response.get_data(as_text=True)
    assert _reply_count() == before


def test_reply_to_unknown_post_is_404(client: FlaskClient) -> None:
    assert _post(client, "missing", body="x").status_code == 404


def test_oversized_request_gets_413_page(app: Flask, client: FlaskClient) -> None:
    post = make_post()
    response = _post(client, post.slug, body="x" * (app.config["MAX_CONTENT_LENGTH"] + 1))
    assert response.status_code == 413
    assert "too large" in response.get_data(as_text=True)
    assert _reply_count() == 0


def test_remember_me_prefills_guest_details_only_when_ticked(client: FlaskClient) -> None:
    post = make_post()
    _post(
        client,
        post.slug,
        body="one",
        name="Remembered Rita",
        email="rita@example.org",
        remember="y",
    )
    assert 'value="Remembered Rita"' in client.get(f"/t/{post.slug}").get_data(as_text=True)
    _post(client, post.slug, body="two", name="Remembered Rita", email="rita@example.org")
    assert 'value="Remembered Rita"' not in client.get(f"/t/{post.slug}").get_data(as_text=True)


def test_reply_page_without_js_shows_parent_and_form(client: FlaskClient) -> None:
    post = make_post()
    parent = make_reply(post, guest_name="Bea", body_source="Original point")
    html = client.get(f"/t/{post.slug}/reply?parent_id={parent.id}").get_data(as_text=True)
    assert "Reply to <bdi>Bea</bdi>" in html and "Original point" in html
    assert f'name="parent_id" type="hidden" value="{parent.id}"' in html
    assert client.get(f"/t/{post.slug}/reply?parent_id=424242").status_code == 404


def test_like_and_unlike_without_js_redirect_back_to_the_reply(client: FlaskClient) -> None:
    post = make_post()
    reply = make_reply(post)
    liked = client.post(f"/replies/{reply.id}/like", data={"liked": "1"})
    assert liked.status_code == 303 and liked.headers["Location"].endswith(f"#c{reply.id}")
    page = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "Liked by 1 person" in page and 'aria-pressed="true"' in page
    client.post(f"/replies/{reply.id}/like", data={"liked": "0"})
    assert "Liked by" not in client.get(f"/t/{post.slug}").get_data(as_text=True)


def test_like_counts_once_per_browser(app: Flask, client: FlaskClient) -> None:
    post = make_post()
    reply = make_reply(post)
    json = {"Accept": "application/json"}
    client.post(f"/replies/{reply.id}/like", data={"liked": "1"}, headers=json)
    twice = client.post(f"/replies/{reply.id}/like", data={"liked": "1"}, headers=json).get_json()
    assert twice == {"reply_id": reply.id, "liked": True, "count": 1, "label": "Liked by 1 person"}
    other_browser = app.test_client()
    second = other_browser.post(
        f"/replies/{reply.id}/like", data={"liked": "1"}, headers=json
    ).get_json()
    assert second["count"] == 2 and second["label"] == "Liked by 2 people"
    assert db.session.scalar(select(func.count(Like.id))) == 2


def test_like_on_held_or_unknown_reply_is_404_and_bad_value_400(client: FlaskClient) -> None:
    post = make_post()
    held = make_reply(post, status=ReplyStatus.PENDING)
    reply = make_reply(post)
    assert client.post(f"/replies/{held.id}/like", data={"liked": "1"}).status_code == 404
    assert client.post("/replies/999999/like", data={"liked": "1"}).status_code == 404
    assert client.post(f"/replies/{reply.id}/like", data={"liked": "maybe"}).status_code == 400
    assert client.get(f"/replies/{reply.id}/like").status_code == 405


def test_missing_or_wrong_csrf_token_is_refused_and_nothing_stored(
    csrf_client: FlaskClient,
) -> None:
    post = make_post()
    reply = make_reply(post)
    missing = _post(csrf_client, post.slug, body="no token")
    wrong = _post(csrf_client, post.slug, body="bad token", csrf_token="forged")
    like = csrf_client.post(f"/replies/{reply.id}/like", data={"liked": "1"})
    assert missing.status_code == wrong.status_code == like.status_code == 400
    assert "CSRF" in missing.get_data(as_text=True)
    assert _reply_count() == 1
    assert db.session.scalar(select(func.count(Like.id))) == 0


def test_valid_csrf_token_from_the_session_endpoint_is_accepted(csrf_client: FlaskClient) -> None:
    post = make_post()
    token = csrf_client.get("/session/csrf").get_json()["csrf_token"]  # what porch.js fetches
    response = _post(csrf_client, post.slug, body="with token", csrf_token=token)
    assert response.status_code == 303


def test_posting_is_rate_limited_with_a_429_page() -> None:
    app = make_app(RATELIMIT_ENABLED=True, POST_RATE_LIMIT="2 per minute")
    app.test_client_class = RequestScopedClient
    with database_for(app):
        set_rules(hold_first_time=False, flood_seconds=0)  # the limiter, not the flood rule
        post = make_post()
        client = app.test_client()
        codes = [_post(client, post.slug, body=f"message {n}").status_code for n in range(3)]
        assert codes == [303, 303, 429]
        assert "Too many requests" in _post(client, post.slug, body="again").get_data(as_text=True)
        assert _reply_count() == 2


def test_member_like_is_one_per_account_across_browsers(
    app: Flask, client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    post = make_post()
    reply = make_reply(post)
    member = login(make_user())
    client.post(f"/replies/{reply.id}/like", data={"liked": "1"})
    stored = db.session.scalars(select(Like)).one()
    assert stored.user_id == member.id and stored.guest_token is None
    client.post(f"/replies/{reply.id}/like", data={"liked": "1"})
    assert db.session.scalar(select(func.count(Like.id))) == 1


def test_ids_too_large_for_the_database_are_refused_cleanly(client: FlaskClient) -> None:
    post = make_post()
    huge = "9" * 25
    assert client.get(f"/t/{post.slug}/reply?parent_id={huge}").status_code == 404
    assert client.post(f"/replies/{huge}/like", data={"liked": "1"}).status_code == 404
    refused = _post(client, post.slug, body="hello", parent_id=huge)
    assert refused.status_code == 400 and "not valid" in refused.get_data(as_text=True)
    assert _reply_count() == 0


def test_liking_is_rate_limited() -> None:
    app = make_app(RATELIMIT_ENABLED=True, LIKE_RATE_LIMIT="2 per minute")
    app.test_client_class = RequestScopedClient
    with database_for(app):
        reply = make_reply(make_post())
        client = app.test_client()
        codes = [
            client.post(f"/replies/{reply.id}/like", data={"liked": "1"}).status_code
            for _ in range(3)
        ]
        assert codes == [303, 303, 429]
