"""Admins through the API: the moderation rules and staff roles; moderators are refused."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import Role
from forum.models import User
from forum.services import site_settings
from tests.factories import make_user
from tests.web.api.conftest import answer
from tests.web.api.conftest import bearer


def test_admin_reads_and_changes_some_rules_keeping_the_rest(app: Flask, client: FlaskClient):
    headers = bearer(make_user(role=Role.ADMIN), "moderate")
    before = answer(client.get("/api/v1/moderation/rules", headers=headers), "moderation_rules")
    changed = client.patch(
        "/api/v1/moderation/rules",
        json={"hold_all": True, "hold_keywords": ["casino"], "spam_hold_percent": 7.5},
        headers=headers,
    )
    after = answer(changed, "update_rules", 200)
    assert after["hold_all"] is True and after["hold_keywords"] == ["casino"]
    assert after["flag_threshold"] == before["flag_threshold"]
    stored = site_settings.moderation_settings()
    assert stored.hold_all and stored.spam_hold_percent == 7.5
    log = client.get("/api/v1/moderation/audit?action=update_rules", headers=headers).get_json()
    assert len(log["entries"]) == 1  # undoable from the log, as on the dashboard


def test_rules_that_contradict_each_other_get_field_errors(app: Flask, client: FlaskClient):
    headers = bearer(make_user(role=Role.ADMIN), "moderate")
    response = client.patch(
        "/api/v1/moderation/rules",
        json={"spam_threshold": 0.2, "spam_hold_threshold": 0.5, "spam_ips": ["nope"]},
        headers=headers,
    )
    fields = answer(response, "update_rules", 400)["error"]["fields"]
    assert set(fields) == {"spam_hold_threshold", "spam_ips"}
    wrong_type = client.patch("/api/v1/moderation/rules", json={"link_limit": 2.5}, headers=headers)
    assert "link_limit" in answer(wrong_type, "update_rules", 400)["error"]["fields"]


def test_moderator_may_not_read_or_change_rules_or_roles(app: Flask, client: FlaskClient):
    headers = bearer(make_user(role=Role.MODERATOR), "moderate")
    assert client.get("/api/v1/moderation/rules", headers=headers).status_code == 403
    response = client.patch("/api/v1/moderation/rules", json={"hold_all": True}, headers=headers)
    assert answer(response, "update_rules", 403)["error"]["code"] == "forbidden"
    member = make_user()
    promoted = client.patch(
        f"/api/v1/moderation/accounts/{member.id}", json={"role": "admin"}, headers=headers
    )
    assert promoted.status_code == 403
    assert db.session.get(User, member.id).role is Role.MEMBER


def test_admin_sets_role_and_desk_access(app: Flask, client: FlaskClient):
    headers = bearer(make_user(role=Role.ADMIN), "moderate")
    member = make_user()
    response = client.patch(
        f"/api/v1/moderation/accounts/{member.id}",
        json={"role": "moderator", "can_author": True},
        headers=headers,
    )
    data = answer(response, "update_account", 200)
    assert data["role"] == "moderator" and data["can_author"] is True
    empty = client.patch(f"/api/v1/moderation/accounts/{member.id}", json={}, headers=headers)
    assert answer(empty, "update_account", 400)["error"]["fields"]
    missing = client.patch(
        "/api/v1/moderation/accounts/999999", json={"role": "member"}, headers=headers
    )
    assert missing.status_code == 404
