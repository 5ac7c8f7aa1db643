"""Moderation stays consistent when decisions overlap: undo, later changes, lessons, bans."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

from sqlalchemy import select

from forum.extensions import db
from forum.models import Flag
from forum.models import FlagReason
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import Setting
from forum.models import User
from forum.services.moderation import spam
from forum.services.moderation.actions import edit_reply
from forum.services.moderation.actions import moderate
from forum.services.moderation.audit_log import audit_page
from forum.services.moderation.bans import BanRequest
from forum.services.moderation.bans import ban
from forum.services.moderation.bans import lift_ban
from forum.services.moderation.undo import undo
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

PENDING, APPROVED, SPAM, TRASH = (
    ReplyStatus.PENDING,
    ReplyStatus.APPROVED,
    ReplyStatus.SPAM,
    ReplyStatus.TRASH,
)


def _moderator() -> User:
    return make_user(role=Role.MODERATOR)


def _status(reply_id: int) -> ReplyStatus:
    db.session.expire_all()
    reply = db.session.get(Reply, reply_id)
    assert reply is not None
    return reply.status


def _totals() -> tuple[int, int]:
    row = db.session.get(Setting, "spam_totals")
    assert row is not None
    return int(row.value["spam"]), int(row.value["ham"])


def test_undo_leaves_alone_a_reply_someone_changed_since(app: object) -> None:
    first, second = _moderator(), _moderator()
    reply = make_reply(make_post(), status=PENDING)
    approved = moderate(moderator=first, reply_ids=[reply.id], action="approve")
    moderate(moderator=second, reply_ids=[reply.id], action="trash")
    assert approved.entry is not None
    undo(moderator=first, entry_id=approved.entry.id)
    assert _status(reply.id) is TRASH  # the later decision stands


def test_undoing_an_edit_keeps_a_later_edit(app: object) -> None:
    moderator = _moderator()
    reply = make_reply(make_post(), body_source="original")
    edit_reply(moderator=moderator, reply_id=reply.id, body="first fix")
    first = audit_page(action=None, actor=None, target_id=reply.id, page=1, per_page=10).entries[0]
    edit_reply(moderator=moderator, reply_id=reply.id, body="second fix")
    undo(moderator=moderator, entry_id=first.id)
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).body_source == "second fix"  # type: ignore[union-attr]


def test_spam_filter_counts_follow_the_final_decision_through_undo_and_reversals(
    app: object,
) -> None:
    spam.seed_if_empty()
    seed = _totals()
    moderator = _moderator()
    reply = make_reply(make_post(), status=PENDING, body_source="zanzibarquux offer")
    moderate(moderator=moderator, reply_ids=[reply.id], action="spam")
    not_spam = moderate(moderator=moderator, reply_ids=[reply.id], action="not_spam")
    assert not_spam.entry is not None
    undo(moderator=moderator, entry_id=not_spam.entry.id)  # spam again
    assert _totals() == (seed[0] + 1, seed[1])
    moderate(moderator=moderator, reply_ids=[reply.id], action="approve")
    assert _totals() == (seed[0], seed[1] + 1)
    moderate(moderator=moderator, reply_ids=[reply.id], action="trash")
    assert _totals() == seed


def test_lifting_one_of_two_bans_keeps_the_account_banned(app: object) -> None:
    moderator, member = _moderator(), make_user()
    ban(moderator=moderator, request=BanRequest(user_id=member.id, reason="for good"))
    week = ban(
        moderator=moderator,
        request=BanRequest(
            user_id=member.id, reason="a week", expires_at=datetime.now(UTC) + timedelta(days=7)
        ),
    )
    lift_ban(moderator=moderator, ban_id=week.id)
    db.session.expire_all()
    banned = db.session.get(User, member.id)
    assert banned is not None and banned.is_banned and banned.ban_expires_at is None


def test_audit_filter_by_item_finds_it_among_many_entries(app: object) -> None:
    moderator = _moderator()
    post = make_post()
    wanted = make_reply(post, status=PENDING)
    moderate(moderator=moderator, reply_ids=[wanted.id], action="approve")
    for _ in range(30):
        other = make_reply(post, status=PENDING)
        moderate(moderator=moderator, reply_ids=[other.id], action="approve")
    found = audit_page(action=None, actor=None, target_id=wanted.id, page=1, per_page=10)
    assert [entry.target_ids for entry in found.entries] == [[wanted.id]] and not found.has_next
    never = audit_page(action=None, actor=None, target_id=wanted.id * 1000, page=1, per_page=10)
    assert never.entries == []


def test_undoing_an_automatic_hide_closes_its_reports(app: object) -> None:
    from forum.models import AuditAction
    from forum.models import AuditEntry
    from forum.security.actor import Actor
    from forum.services.moderation.flags import flag_reply
    from tests.factories import set_rules

    set_rules(flag_threshold=2)
    reply = make_reply(make_post())
    for n in range(2):
        flag_reply(
            actor=Actor(guest_token=f"b{n}", ip_address=f"192.0.2.{n}"),
            reply_id=reply.id,
            reason=FlagReason.ABUSE,
            note="",
        )
    assert _status(reply.id) is PENDING
    hide = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.HIDE_FLAGGED)
    ).one()
    undo(moderator=_moderator(), entry_id=hide.id)
    assert _status(reply.id) is APPROVED
    assert all(flag.resolved_at is not None for flag in db.session.scalars(select(Flag)))


def test_reports_from_one_address_count_once(app: object) -> None:
    from forum.security.actor import Actor
    from forum.services.moderation.flags import flag_reply
    from tests.factories import set_rules

    set_rules(flag_threshold=2)
    reply = make_reply(make_post())
    for n in range(3):  # one person clearing cookies between reports
        flag_reply(
            actor=Actor(guest_token=f"cookie{n}", ip_address="203.0.113.5"),
            reply_id=reply.id,
            reason=FlagReason.SPAM,
            note="",
        )
    assert _status(reply.id) is APPROVED
