"""Every moderator operation, by every role and token scope: only moderators get through; and
no token writes outside its scopes."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from forum.models import ReplyStatus
from forum.models import Role
from forum.web.api.spec import OPERATIONS
from forum.web.api.spec import Operation
from tests.conftest import login_on
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.web.api.conftest import SAME_ORIGIN
from tests.web.api.conftest import bearer

MODERATE = sorted(name for name, op in OPERATIONS.items() if op.scope == "moderate")
WRITE = sorted(name for name, op in OPERATIONS.items() if op.scope == "write")


def _example(endpoint: str, reply_id: int) -> dict[str, Any] | None:
    """A body the operation accepts, for the callers who may send it."""
    return {
        "api.moderate": {"action": "trash", "ids": [reply_id]},
        "api.approve_group": {"reason": "links"},
        "api.moderator_edit": {"body": "Edited", "reason": "typo"},
        "api.moderator_reply": {"body": "Thanks"},
        "api.moderate_branch": {"action": "lock"},
        "api.create_ban": {"email": "spam@example.org"},
        "api.lift_ban": {},
        "api.update_rules": {"hold_all": False},
        "api.update_account": {"can_author": True},
    }.get(endpoint)


def _call(client: FlaskClient, endpoint: str, headers: dict[str, str]) -> Any:
    op: Operation = OPERATIONS[endpoint]
    post = make_post()
    reply = make_reply(post, status=ReplyStatus.PENDING)
    url = "/api/v1" + op.rule.replace("<slug>", post.slug)
    url = re.sub(r"<(?:\w+:)?\w+>", str(reply.id), url)
    body = _example(endpoint, reply.id)
    return client.open(url, method=op.method, json=body, headers={**SAME_ORIGIN, **headers})


@pytest.mark.parametrize("endpoint", MODERATE)
def test_guest_is_asked_to_sign_in(client: FlaskClient, endpoint: str):
    response = _call(client, endpoint, {})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorized"


@pytest.mark.parametrize("endpoint", MODERATE)
def test_member_and_banned_member_are_forbidden(client: FlaskClient, endpoint: str):
    login_on(client, make_user())
    assert _call(client, endpoint, {}).get_json()["error"]["code"] == "forbidden"
    login_on(client, make_user(banned_at=datetime.now(UTC)))
    assert _call(client, endpoint, {}).status_code == 403


@pytest.mark.parametrize("endpoint", MODERATE)
def test_moderator_token_without_moderate_scope_is_refused(client: FlaskClient, endpoint: str):
    headers = bearer(make_user(role=Role.MODERATOR), "read", "write")
    response = _call(client, endpoint, headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "insufficient_scope"


@pytest.mark.parametrize("endpoint", MODERATE)
def test_admin_token_and_session_get_through(client: FlaskClient, endpoint: str):
    headers = bearer(make_user(role=Role.ADMIN), "moderate")
    assert _call(client, endpoint, headers).status_code not in (401, 403)
    login_on(client, make_user(role=Role.ADMIN))
    assert _call(client, endpoint, {}).status_code not in (401, 403)


@pytest.mark.parametrize("endpoint", WRITE)
@pytest.mark.parametrize("scopes", [("read",), ("read", "moderate")])
def test_token_without_write_scope_cannot_write(
    client: FlaskClient, endpoint: str, scopes: tuple[str, ...]
):
    headers = bearer(make_user(role=Role.MODERATOR), *scopes)
    response = _call(client, endpoint, headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "insufficient_scope"
