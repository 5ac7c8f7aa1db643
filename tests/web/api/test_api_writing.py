"""Writing through the API: replies, edits, deletes, likes and reports, by role and token scope."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import Flag
from forum.models import Reply
from forum.models import ReplyStatus
from tests.conftest import login_on
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.web.api.conftest import SAME_ORIGIN
from tests.web.api.conftest import answer
from tests.web.api.conftest import bearer

pytestmark = pytest.mark.usefixtures("open_rules")
GUEST = {"body": "Hello there", "name": "Ada", "email": "ada@example.org"}


def _url(post_slug: str) -> str:
    return f"/api/v1/posts/{post_slug}/replies"


def test_guest_posts_reply_from_same_origin_and_it_is_shown(app: Flask, client: FlaskClient):
    post = make_post()
    data = answer(
        client.post(_url(post.slug), json=GUEST, headers=SAME_ORIGIN), "create_reply", 201
    )
    assert data["status"] == "approved"
    thread = client.get(_url(post.slug)).get_json()
    assert thread["replies"][0]["author"] == "Ada"


def test_guest_reply_without_name_gets_field_errors(app: Flask, client: FlaskClient):
    post = make_post()
    response = client.post(_url(post.slug), json={"body": "Hi"}, headers=SAME_ORIGIN)
    body = answer(response, "create_reply", 400)
    assert body["error"]["code"] == "invalid_input"
    assert set(body["error"]["fields"]) == {"name", "email"}


def test_reply_with_wrong_types_gets_field_errors_not_500(app: Flask, client: FlaskClient):
    post = make_post()
    bad = {"body": 5, "parent_id": "x", "extra": True}
    body = client.post(_url(post.slug), json=bad, headers=SAME_ORIGIN).get_json()
    assert set(body["error"]["fields"]) == {"body", "parent_id", "extra"}
    not_json = client.post(_url(post.slug), data="body=hi", headers=SAME_ORIGIN)
    assert not_json.status_code == 400
    assert not_json.get_json()["error"]["code"] == "invalid_json"


def test_token_with_write_scope_posts_as_its_owner(app: Flask, client: FlaskClient):
    post = make_post()
    owner = make_user(display_name="Scripted")
    headers = bearer(owner, "read", "write")
    answer(
        client.post(_url(post.slug), json={"body": "From a script"}, headers=headers),
        "create_reply",
        201,
    )
    assert db.session.query(Reply).one().author_id == owner.id


def test_token_without_write_scope_is_refused(app: Flask, client: FlaskClient):
    post = make_post()
    headers = bearer(make_user(), "read")
    body = client.post(_url(post.slug), json={"body": "No"}, headers=headers).get_json()
    assert body["error"]["code"] == "insufficient_scope"
    assert db.session.query(Reply).count() == 0


def test_revoked_token_stops_working(app: Flask, client: FlaskClient):
    from forum.services import api_tokens

    user = make_user()
    made = api_tokens.create_token(user=user, name="x", scopes=["read"])
    api_tokens.revoke_token(user=user, token_id=made.token.id)
    response = client.get("/api/v1/categories", headers={"Authorization": f"Bearer {made.secret}"})
    assert response.status_code == 401


def test_banned_member_cannot_post(app: Flask, client: FlaskClient):
    post = make_post()
    banned = make_user(banned_at=datetime.now(UTC))
    response = client.post(_url(post.slug), json={"body": "x"}, headers=bearer(banned, "write"))
    assert answer(response, "create_reply", 403)["error"]["code"] == "forbidden"


def test_cookie_write_without_origin_or_csrf_token_is_refused(csrf_client: FlaskClient):
    post = make_post()
    login_on(csrf_client, make_user())
    response = csrf_client.post(_url(post.slug), json={"body": "Forged"})
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "csrf_failed"
    foreign = csrf_client.post(
        _url(post.slug), json={"body": "Forged"}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    assert db.session.query(Reply).count() == 0


def test_cookie_write_from_same_origin_is_accepted(csrf_client: FlaskClient):
    from tests.factories import set_rules

    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01)
    post = make_post()
    login_on(csrf_client, make_user())
    response = csrf_client.post(_url(post.slug), json={"body": "Mine"}, headers=SAME_ORIGIN)
    assert response.status_code == 201


def test_token_write_needs_no_csrf_token(csrf_client: FlaskClient):
    from tests.factories import set_rules

    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01)
    post = make_post()
    headers = bearer(make_user(), "write")
    assert (
        csrf_client.post(_url(post.slug), json={"body": "ok"}, headers=headers).status_code == 201
    )


def test_author_edits_and_deletes_within_window(app: Flask, client: FlaskClient):
    user = make_user()
    reply = make_reply(make_post(), author=user, created_at=datetime.now(UTC))
    headers = bearer(user, "write")
    edited = client.patch(f"/api/v1/replies/{reply.id}", json={"body": "Better"}, headers=headers)
    answer(edited, "edit_reply", 200)
    deleted = client.delete(f"/api/v1/replies/{reply.id}", headers=headers)
    assert answer(deleted, "delete_reply", 200)["status"] == "removed"


def test_edit_after_window_or_by_someone_else_is_refused(app: Flask, client: FlaskClient):
    user = make_user()
    old = make_reply(make_post(), author=user, created_at=datetime.now(UTC) - timedelta(days=3))
    late = client.patch(
        f"/api/v1/replies/{old.id}", json={"body": "x"}, headers=bearer(user, "write")
    )
    assert late.status_code == 403
    other = client.delete(f"/api/v1/replies/{old.id}", headers=bearer(make_user(), "write"))
    assert other.status_code == 403


def test_like_and_unlike_update_the_count(app: Flask, client: FlaskClient):
    reply = make_reply(make_post())
    headers = bearer(make_user(), "write")
    url = f"/api/v1/replies/{reply.id}/like"
    assert answer(client.put(url, json={"liked": True}, headers=headers), "like", 200)["count"] == 1
    assert (
        answer(client.put(url, json={"liked": False}, headers=headers), "like", 200)["count"] == 0
    )


def test_guest_likes_with_session_from_same_origin(app: Flask, client: FlaskClient):
    reply = make_reply(make_post())
    response = client.put(
        f"/api/v1/replies/{reply.id}/like", json={"liked": True}, headers=SAME_ORIGIN
    )
    assert answer(response, "like", 200)["liked"] is True


def test_report_stores_a_flag_once(app: Flask, client: FlaskClient):
    reply = make_reply(make_post())
    headers = bearer(make_user(), "write")
    url = f"/api/v1/replies/{reply.id}/reports"
    answer(client.post(url, json={"reason": "spam"}, headers=headers), "report", 201)
    again = answer(client.post(url, json={"reason": "spam"}, headers=headers), "report", 201)
    assert again["already_reported"] is True
    assert db.session.query(Flag).count() == 1


def test_report_with_unknown_reason_gets_field_error(app: Flask, client: FlaskClient):
    reply = make_reply(make_post(), status=ReplyStatus.APPROVED)
    url = f"/api/v1/replies/{reply.id}/reports"
    body = client.post(url, json={"reason": "meh"}, headers=bearer(make_user(), "write")).get_json()
    assert "reason" in body["error"]["fields"]
