"""Reporting replies: one report per person, hiding at the threshold, resolving for moderators."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy import select

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import Flag
from forum.models import FlagReason
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.security.actor import Actor
from forum.services.moderation.flags import flag_reply
from forum.services.moderation.flags import open_flags_for
from forum.services.moderation.flags import resolve_flags
from forum.services.site_settings import moderation_settings
from forum.services.site_settings import store_moderation_settings
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


def _browser(n: int) -> Actor:
    return Actor(guest_token=f"browser-{n}", ip_address=f"192.0.2.{n}")


def _flag_count() -> int:
    return db.session.scalar(select(func.count(Flag.id))) or 0


def _set_threshold(value: int) -> None:
    store_moderation_settings(replace(moderation_settings(), flag_threshold=value))
    db.session.commit()


@pytest.fixture
def post(app: object) -> Post:
    return make_post()


def test_member_report_is_stored_with_snapshot_reason_note_and_ip(post: Post) -> None:
    reply = make_reply(post, body_source="Mix *bleach* and vinegar")
    member = make_user()
    actor = Actor(user=member, guest_token="ignored-for-members", ip_address="198.51.100.7")
    result = flag_reply(actor=actor, reply_id=reply.id, reason=FlagReason.HARMFUL, note="  Toxic  ")
    flag = db.session.scalars(select(Flag)).one()
    assert result.flag.id == flag.id and not result.already_reported and not result.hidden
    assert (flag.reporter_id, flag.reporter_token, flag.reporter_ip) == (
        member.id,
        None,
        "198.51.100.7",
    )
    assert (flag.reason, flag.note) == (FlagReason.HARMFUL, "Toxic")
    assert flag.body_snapshot == "Mix *bleach* and vinegar" and flag.resolved_at is None


def test_second_report_by_the_same_person_returns_the_first_and_changes_nothing(
    post: Post,
) -> None:
    reply = make_reply(post)
    actor = Actor(user=make_user())
    first = flag_reply(actor=actor, reply_id=reply.id, reason=FlagReason.SPAM, note="ads")
    again = flag_reply(actor=actor, reply_id=reply.id, reason=FlagReason.ABUSE, note="other")
    assert again.already_reported and again.flag.id == first.flag.id
    assert _flag_count() == 1
    assert (again.flag.reason, again.flag.note) == (FlagReason.SPAM, "ads")


def test_guest_reports_count_once_per_browser(post: Post) -> None:
    reply = make_reply(post)
    for actor in (_browser(1), _browser(2), _browser(1)):
        flag_reply(actor=actor, reply_id=reply.id, reason=FlagReason.SPAM, note="")
    tokens = db.session.scalars(select(Flag.reporter_token).order_by(Flag.id)).all()
    assert tokens == ["browser-1", "browser-2"]


@pytest.mark.parametrize("who", ["member", "guest"])
def test_own_reply_cannot_be_reported(post: Post, who: str) -> None:
    member = make_user()
    if who == "member":
        reply, actor = make_reply(post, author=member), Actor(user=member)
    else:
        reply, actor = make_reply(post, guest_token="browser-1"), _browser(1)
    with pytest.raises(Forbidden, match="your own reply"):
        flag_reply(actor=actor, reply_id=reply.id, reason=FlagReason.SPAM, note="")
    assert _flag_count() == 0


@pytest.mark.parametrize("case", ["unknown", "pending", "spam", "trash", "deleted"])
def test_reply_not_shown_to_everyone_cannot_be_reported(post: Post, case: str) -> None:
    replies = {
        "unknown": None,
        "pending": make_reply(post, status=ReplyStatus.PENDING),
        "spam": make_reply(post, status=ReplyStatus.SPAM),
        "trash": make_reply(post, status=ReplyStatus.TRASH),
        "deleted": make_reply(post, deleted_at=datetime.now(UTC)),
    }
    reply = replies[case]
    with pytest.raises(NotFound):
        flag_reply(
            actor=_browser(1),
            reply_id=reply.id if reply else 999_999,
            reason=FlagReason.SPAM,
            note="",
        )
    assert _flag_count() == 0


def test_banned_member_and_cookieless_guest_are_refused(post: Post) -> None:
    reply = make_reply(post)
    banned = Actor(user=make_user(banned_at=datetime.now(UTC), ban_reason="trolling"))
    with pytest.raises(Forbidden, match="banned"):
        flag_reply(actor=banned, reply_id=reply.id, reason=FlagReason.SPAM, note="")
    with pytest.raises(Forbidden, match="cookies"):
        flag_reply(actor=Actor(), reply_id=reply.id, reason=FlagReason.SPAM, note="")
    assert _flag_count() == 0


def test_overlong_note_is_refused(post: Post) -> None:
    reply = make_reply(post)
    with pytest.raises(InvalidInput) as raised:
        flag_reply(actor=_browser(1), reply_id=reply.id, reason=FlagReason.OTHER, note="x" * 501)
    assert "note" in raised.value.errors and _flag_count() == 0


def test_reply_is_hidden_at_the_threshold_with_a_system_audit_entry(post: Post) -> None:
    _set_threshold(2)
    reply = make_reply(post)
    first = flag_reply(actor=_browser(1), reply_id=reply.id, reason=FlagReason.SPAM, note="")
    assert not first.hidden and reply.status == ReplyStatus.APPROVED
    second = flag_reply(actor=_browser(2), reply_id=reply.id, reason=FlagReason.ABUSE, note="")
    db.session.refresh(reply)
    assert second.hidden
    assert (reply.status, reply.held_reason) == (ReplyStatus.PENDING, "flagged")
    assert reply.moderated_at is not None and reply.moderated_by_id is None
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.actor_id, entry.actor_name, entry.action) == (
        None,
        "Porch",
        AuditAction.HIDE_FLAGGED,
    )
    assert entry.target_type == "reply" and entry.target_ids == [reply.id]
    assert entry.before == {"status": "approved"}
    assert entry.after == {"status": "pending", "held_reason": "flagged"}
    assert entry.reason == "hidden after 2 reports"
    with pytest.raises(NotFound):  # hidden: no more reports until a moderator decides
        flag_reply(actor=_browser(3), reply_id=reply.id, reason=FlagReason.SPAM, note="")


def test_threshold_zero_never_hides(post: Post) -> None:
    _set_threshold(0)
    reply = make_reply(post)
    for n in range(1, 4):
        assert not flag_reply(
            actor=_browser(n), reply_id=reply.id, reason=FlagReason.SPAM, note=""
        ).hidden
    assert db.session.get(Reply, reply.id).status == ReplyStatus.APPROVED  # type: ignore[union-attr]


def test_resolved_reports_no_longer_count_toward_the_threshold(post: Post) -> None:
    _set_threshold(2)
    reply = make_reply(post)
    moderator = make_user(role=Role.MODERATOR)
    flag_reply(actor=_browser(1), reply_id=reply.id, reason=FlagReason.SPAM, note="")
    assert resolve_flags(moderator=moderator, reply_ids=[reply.id]) == 1
    assert not flag_reply(
        actor=_browser(2), reply_id=reply.id, reason=FlagReason.SPAM, note=""
    ).hidden
    resolved = db.session.scalars(select(Flag).where(Flag.reporter_token == "browser-1")).one()
    assert resolved.resolved_at is not None and resolved.resolved_by_id == moderator.id
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.actor_id, entry.target_ids) == (
        AuditAction.RESOLVE_FLAGS,
        moderator.id,
        [reply.id],
    )


def test_resolving_needs_a_moderator_and_nothing_open_changes_nothing(post: Post) -> None:
    reply = make_reply(post)
    flag_reply(actor=_browser(1), reply_id=reply.id, reason=FlagReason.SPAM, note="")
    with pytest.raises(Forbidden):
        resolve_flags(moderator=make_user(), reply_ids=[reply.id])
    moderator = make_user(role=Role.MODERATOR)
    assert resolve_flags(moderator=moderator, reply_ids=[reply.id]) == 1
    assert resolve_flags(moderator=moderator, reply_ids=[reply.id]) == 0
    assert db.session.scalar(select(func.count(AuditEntry.id))) == 1


def test_open_flags_for_groups_by_reply_in_one_query(post: Post, count_queries: Any) -> None:
    first, second, quiet = make_reply(post), make_reply(post), make_reply(post)
    for n, reply in [(1, first), (2, first), (1, second)]:
        flag_reply(actor=_browser(n), reply_id=reply.id, reason=FlagReason.OTHER, note=str(n))
    ids = [first.id, second.id, quiet.id]
    db.session.expire_all()
    with count_queries() as statements:
        grouped = open_flags_for(ids)
        notes = {k: [f.note for f in v] for k, v in grouped.items()}
    assert len(statements) == 1
    assert notes == {ids[0]: ["1", "2"], ids[1]: ["1"]}
    assert open_flags_for([]) == {}
