"""Moderators through the API: queue, decisions, bans, audit log; everyone else refused."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from tests.conftest import login_on
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.web.api.conftest import SAME_ORIGIN
from tests.web.api.conftest import answer
from tests.web.api.conftest import bearer


def test_queue_lists_held_replies_for_moderator_token(app: Flask, client: FlaskClient):
    held = make_reply(make_post(), status=ReplyStatus.PENDING)
    headers = bearer(make_user(role=Role.MODERATOR), "moderate")
    data = answer(client.get("/api/v1/moderation/queue", headers=headers), "moderation_queue", 200)
    assert [item["id"] for item in data["items"]] == [held.id]
    assert data["counts"]["pending"] == 1


def test_queue_is_refused_to_guest_member_and_unscoped_token(app: Flask, client: FlaskClient):
    assert client.get("/api/v1/moderation/queue").status_code == 401
    demoted = make_user(role=Role.MODERATOR)
    headers = bearer(demoted, "moderate")
    demoted.role = Role.MEMBER  # a token outlives its owner's role, not their rights
    db.session.commit()
    assert client.get("/api/v1/moderation/queue", headers=headers).status_code == 403
    moderator = make_user(role=Role.MODERATOR)
    unscoped = client.get("/api/v1/moderation/queue", headers=bearer(moderator, "read", "write"))
    assert unscoped.get_json()["error"]["code"] == "insufficient_scope"
    login_on(client, make_user())
    assert client.get("/api/v1/moderation/queue").status_code == 403


def test_moderator_session_approves_and_audit_log_shows_it(app: Flask, client: FlaskClient):
    held = make_reply(make_post(), status=ReplyStatus.PENDING)
    login_on(client, make_user(role=Role.ADMIN))
    body = {"action": "approve", "ids": [held.id]}
    acted = client.post("/api/v1/moderation/actions", json=body, headers=SAME_ORIGIN)
    assert answer(acted, "moderate", 200)["changed"] == [held.id]
    db.session.expire_all()
    assert db.session.get(Reply, held.id).status is ReplyStatus.APPROVED
    log = answer(client.get("/api/v1/moderation/audit"), "audit_log", 200)
    assert log["entries"][0]["action"] == "approve"


def test_moderation_action_with_bad_ids_gets_field_errors(app: Flask, client: FlaskClient):
    headers = bearer(make_user(role=Role.MODERATOR), "moderate")
    body = client.post(
        "/api/v1/moderation/actions", json={"action": "zap", "ids": []}, headers=headers
    ).get_json()
    assert set(body["error"]["fields"]) == {"action", "ids"}


def test_ban_list_create_and_lift(app: Flask, client: FlaskClient):
    headers = bearer(make_user(role=Role.MODERATOR), "moderate")
    target = make_user()
    made = client.post(
        "/api/v1/moderation/bans", json={"user_id": target.id, "reason": "spam"}, headers=headers
    )
    ban = answer(made, "create_ban", 201)
    listed = answer(client.get("/api/v1/moderation/bans", headers=headers), "list_bans", 200)
    assert [b["id"] for b in listed["bans"]] == [ban["id"]]
    lifted = client.post(f"/api/v1/moderation/bans/{ban['id']}/lift", json={}, headers=headers)
    assert answer(lifted, "lift_ban", 200)["lifted_at"] is not None


def test_ban_without_target_gets_an_error_not_500(app: Flask, client: FlaskClient):
    headers = bearer(make_user(role=Role.MODERATOR), "moderate")
    response = client.post("/api/v1/moderation/bans", json={}, headers=headers)
    assert response.status_code == 400
    assert answer(response, "create_ban")["error"]["message"]


def test_decision_on_a_reply_someone_decided_on_since_is_skipped(app: Flask, client: FlaskClient):
    held = make_reply(make_post(), status=ReplyStatus.PENDING)
    first = bearer(make_user(role=Role.MODERATOR), "moderate")
    second = bearer(make_user(role=Role.MODERATOR), "moderate")
    seen = {str(held.id): "pending"}  # both fetched the queue while it was held
    body = {"action": "approve", "ids": [held.id], "seen": seen}
    answer(client.post("/api/v1/moderation/actions", json=body, headers=first), "moderate", 200)

    late = {"action": "trash", "ids": [held.id], "seen": seen}
    data = answer(
        client.post("/api/v1/moderation/actions", json=late, headers=second), "moderate", 200
    )

    assert data["changed"] == [] and data["skipped"] == 1
    db.session.expire_all()
    assert db.session.get(Reply, held.id).status is ReplyStatus.APPROVED  # type: ignore[union-attr]
    bad = {"action": "trash", "ids": [held.id], "seen": {"x": "pending"}}
    refused = client.post("/api/v1/moderation/actions", json=bad, headers=second)
    assert refused.status_code == 400
