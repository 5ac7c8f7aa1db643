"""The audit log tells each change in words, never as raw JSON."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from forum.models import ReplyStatus
from forum.models import Role
from forum.web.audit_words import audit_changes
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


@pytest.mark.parametrize(
    ("before", "after", "lines"),
    [
        (
            {"status": {"1": "pending", "2": "pending"}},
            {"status": "approved"},
            ["status: pending → approved"],
        ),
        (
            {"status": {"1": "pending", "2": "spam", "3": "pending"}},
            {"status": "trash"},
            ["status: pending (2), spam (1) → trash"],
        ),
        (
            {"status": "approved"},
            {"status": "pending", "held_reason": "flagged"},
            ["status: approved → pending", "held reason: flagged"],
        ),
        (
            {"locked_at": {"7": None}},
            {"locked_at": "2026-02-03T04:05:06+00:00"},
            ["locked: no → February 3, 2026, 4:05\u202fAM UTC"],
        ),
        (
            {"status": {"4": "approved"}},
            {"ban_id": 3, "user_id": 5, "email": None, "ip_range": None, "removed": [4]},
            ["status before: approved", "ban: #3", "account: #5", "removed: #4"],
        ),
        ({"role": "member"}, {"role": "moderator"}, ["role: member → moderator"]),
        (
            {"hold_all": False, "link_limit": 2, "spam_keywords": []},
            {"hold_all": True, "link_limit": 2, "spam_keywords": ["casino", "pills"]},
            ["hold all: no → yes", "spam keywords: casino, pills"],
        ),
        (
            {"status": {"1": "pending"}, "open_reports": [3, 4]},
            {"status": "approved", "open_reports": []},
            ["status: pending → approved", "open reports: #3, #4 → none"],
        ),
        ({"body": "Old words"}, {"body": "New words"}, ["text: “Old words” → “New words”"]),
    ],
)
def test_audit_changes_reads_as_words(
    before: dict[str, Any], after: dict[str, Any], lines: list[str]
) -> None:
    assert audit_changes(before, after) == lines


def test_audit_page_shows_readable_changes_not_json(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.MODERATOR))
    reply = make_reply(make_post(), status=ReplyStatus.PENDING)
    client.post("/mod/act", data={"action": "approve", "ids": [str(reply.id)]})
    html = client.get("/mod/audit").get_data(as_text=True)
    assert "status: pending → approved" in html
    assert "{&#34;" not in html and '{"status"' not in html
