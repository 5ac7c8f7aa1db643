"""can_edit_own: who may change a reply, and until when (pure, no database)."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest

from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.security.policies import can_edit_own
from forum.security.policies import can_edit_reply

POSTED = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def _reply(**fields: object) -> Reply:
    return Reply(created_at=POSTED, status=ReplyStatus.APPROVED, **fields)


@pytest.mark.parametrize(
    ("minutes_later", "status", "allowed"),
    [
        (14, ReplyStatus.APPROVED, True),
        (14, ReplyStatus.PENDING, True),
        (15, ReplyStatus.APPROVED, False),
        (1, ReplyStatus.SPAM, False),
        (1, ReplyStatus.TRASH, False),
    ],
)
def test_can_edit_own_guest_same_browser_follows_window_and_status(
    minutes_later: int, status: ReplyStatus, allowed: bool
) -> None:
    reply = _reply(guest_token="abc")
    reply.status = status
    now = POSTED + timedelta(minutes=minutes_later)
    assert can_edit_own(None, "abc", reply, now, WINDOW) is allowed
    assert can_edit_own(None, "other", reply, now, WINDOW) is False


def test_can_edit_own_refuses_banned_account_and_deleted_reply() -> None:
    user = User(id=7, role=Role.MEMBER, banned_at=POSTED)
    assert not can_edit_own(user, None, _reply(author_id=7), POSTED, WINDOW)
    member = User(id=8, role=Role.MEMBER)
    assert can_edit_own(member, None, _reply(author_id=8), POSTED, WINDOW)
    assert not can_edit_own(member, None, _reply(author_id=8, deleted_at=POSTED), POSTED, WINDOW)


def test_can_edit_reply_lets_moderators_edit_any_reply_any_time() -> None:
    moderator = User(id=9, role=Role.MODERATOR)
    late = POSTED + timedelta(days=30)
    assert can_edit_reply(moderator, None, _reply(author_id=1), late, WINDOW)
    assert not can_edit_own(moderator, None, _reply(author_id=1), late, WINDOW)
