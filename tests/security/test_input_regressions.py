"""Inputs the fuzz tests found answered with a 500, each now a clear 400 with nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import AuditEntry
from forum.models import Reply
from forum.models import Role
from forum.models import User
from forum.models.base import utcnow
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

JSON = {"Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}


def _replies() -> int:
    return db.session.scalar(select(func.count(Reply.id))) or 0


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, '{"body": ' + "[" * 5000 + "]" * 5000 + "}"],
    ids=["deep-array", "deep-field"],
)
def test_json_nested_past_the_parser_is_a_400(client: FlaskClient, body: str) -> None:
    post = make_post()
    response = client.post(f"/api/v1/posts/{post.slug}/replies", data=body, headers=JSON)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("field", ["body", "name", "email", "url"])
def test_json_lone_surrogate_is_a_field_error(client: FlaskClient, field: str) -> None:
    post = make_post()
    values = {"body": "Hi", "name": "Ann", "email": "ann@example.org", field: "x\\ud800y"}
    body = "{" + ", ".join(f'"{k}": "{v}"' for k, v in values.items()) + "}"
    response = client.post(f"/api/v1/posts/{post.slug}/replies", data=body, headers=JSON)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert _replies() == 0


# PostgreSQL text cannot hold NUL: these free-text fields reached the database with it (500).


@pytest.fixture
def moderator(app: Flask) -> User:
    return make_user(role=Role.ADMIN, email_verified_at=utcnow())


@pytest.mark.parametrize(
    ("url", "form"),
    [
        ("/mod/replies/{reply}/edit", {"body": "Fixed", "reason": "typo\x00"}),
        ("/mod/act", {"ids": "{reply}", "action": "trash", "reason": "spam\x00"}),
        ("/mod/replies/{reply}/branch", {"action": "trash", "reason": "x\x00"}),
        ("/mod/bans", {"target": "email", "value": "s@example.org", "reason": "\x00"}),
        ("/account/settings/tokens", {"name": "script\x00", "read": "y"}),
        ("/mod/settings/webhooks", {"url": "https://a\x00b.example/", "events": "reply.held"}),
    ],
)
def test_nul_in_a_moderator_or_settings_field_is_a_form_error(
    client: FlaskClient, login: Any, moderator: User, url: str, form: dict[str, str]
) -> None:
    reply = make_reply(make_post())
    login(moderator)
    before = _audit_entries()
    data = {k: v.format(reply=reply.id) for k, v in form.items()}
    response = client.post(url.format(reply=reply.id), data=data)
    assert response.status_code == 400
    assert "characters we cannot store" in response.get_data(as_text=True)
    assert _audit_entries() == before


def _audit_entries() -> int:
    return db.session.scalar(select(func.count(AuditEntry.id))) or 0
