"""Reports of replies: one per person, and a reply hidden for review at the configured number."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import AuditAction
from forum.models import Flag
from forum.models import FlagReason
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.security.policies import can_moderate
from forum.security.policies import is_own_reply
from forum.security.policies import posting_refusal
from forum.services.moderation import audit
from forum.services.moderation.lessons import retrain
from forum.services.site_settings import moderation_settings
from forum.services.webhooks import events as webhooks

NOTE_MAX_LENGTH = 500
FLAGGED = "flagged"  # Reply.held_reason of a reply hidden by reports


@dataclass(frozen=True)
class FlagResult:
    flag: Flag
    reply: Reply
    already_reported: bool  # this person had reported the reply before; nothing changed
    hidden: bool  # this report took the reply to the threshold and hid it


def reportable_reply(*, actor: Actor, reply_id: int) -> Reply:
    """The reply, if this actor may report it; raises NotFound or Forbidden otherwise."""
    reply = db.session.get(Reply, reply_id)
    if reply is None or reply.status != ReplyStatus.APPROVED or reply.deleted_at is not None:
        raise NotFound(_("This reply does not exist or can no longer be reported."))
    if refusal := posting_refusal(actor.user):
        raise Forbidden(refusal)
    if is_own_reply(actor.user, actor.guest_token, reply):
        raise Forbidden(_("You cannot report your own reply."))
    return reply


def flag_reply(*, actor: Actor, reply_id: int, reason: FlagReason, note: str) -> FlagResult:
    """Store one report per person; at the threshold, hide the reply until a moderator looks."""
    reply = reportable_reply(actor=actor, reply_id=reply_id)
    if actor.user is None and not actor.guest_token:
        raise Forbidden(_("Reports need cookies enabled, so we can count one per browser."))
    if len(note) > NOTE_MAX_LENGTH:
        raise InvalidInput(
            {
                "note": [
                    _(
                        "Notes can be at most %(max)d characters long.",
                        max=NOTE_MAX_LENGTH,
                    )
                ]
            }
        )
    existing = _existing_flag(actor, reply.id)
    if existing is not None:
        return FlagResult(flag=existing, reply=reply, already_reported=True, hidden=False)
    flag, inserted = _insert_flag(actor, reply, reason, note.strip())
    if not inserted:
        return FlagResult(flag=flag, reply=reply, already_reported=True, hidden=False)
    hidden = _hide_at_threshold(reply)
    webhooks.emit(webhooks.REPORT_OPENED, report_data(flag, hidden))
    db.session.commit()
    return FlagResult(flag=flag, reply=reply, already_reported=False, hidden=hidden)


def report_data(flag: Flag, hidden: bool) -> dict[str, object]:
    """What report.opened says: the report, not who sent it."""
    return {
        "report": {"id": flag.id, "reason": flag.reason.value, "note": flag.note},
        "reply_id": flag.reply_id,
        "reply_hidden": hidden,
    }


def _reporter(actor: Actor) -> ColumnElement[bool]:
    """Accounts report once per account, guests once per browser."""
    if actor.user is not None:
        return Flag.reporter_id == actor.user.id
    return Flag.reporter_token == actor.guest_token


def _existing_flag(actor: Actor, reply_id: int) -> Flag | None:
    return db.session.scalar(select(Flag).where(Flag.reply_id == reply_id, _reporter(actor)))


def _insert_flag(actor: Actor, reply: Reply, reason: FlagReason, note: str) -> tuple[Flag, bool]:
    """Add the report; a concurrent duplicate hits the unique constraint and returns the winner."""
    flag = Flag(
        reply_id=reply.id,
        reporter_id=actor.user_id,
        reporter_token=actor.guest_token if actor.user is None else None,
        reporter_ip=actor.ip_address,
        reason=reason,
        note=note,
        body_snapshot=reply.body_source,
    )
    try:
        with db.session.begin_nested():
            db.session.add(flag)
    except IntegrityError:
        winner = _existing_flag(actor, reply.id)
        if winner is None:
            raise
        return winner, False
    return flag, True


def _hide_at_threshold(reply: Reply) -> bool:
    """Approved to pending once enough open reports gather; 0 or less turns hiding off."""
    threshold = moderation_settings().flag_threshold
    reports = _open_flag_count(reply.id)
    if threshold < 1 or reports < threshold:
        return False
    result = db.session.execute(
        update(Reply)
        .where(Reply.id == reply.id, Reply.status == ReplyStatus.APPROVED)
        .values(status=ReplyStatus.PENDING, held_reason=FLAGGED, moderated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if not result.rowcount:  # type: ignore[attr-defined]
        return False  # a moderator or another report moved it meanwhile
    db.session.refresh(reply)
    retrain([reply])  # hidden replies teach the spam filter nothing until a moderator decides
    audit.record(
        actor=None,
        action=AuditAction.HIDE_FLAGGED,
        target_type="reply",
        target_ids=[reply.id],
        before={"status": ReplyStatus.APPROVED.value},
        after={"status": ReplyStatus.PENDING.value, "held_reason": FLAGGED},
        reason=f"hidden after {reports} reports",
    )
    return True


def _open_flag_count(reply_id: int) -> int:
    """Independent reporters: each account once, and guests once per address, since clearing
    cookies makes a new browser but not a new person."""
    rows = db.session.execute(
        select(Flag.reporter_id, Flag.reporter_ip, Flag.reporter_token).where(
            Flag.reply_id == reply_id, Flag.resolved_at.is_(None)
        )
    ).all()
    reporters = {
        f"user:{user_id}" if user_id is not None else f"ip:{ip or token}"
        for user_id, ip, token in rows
    }
    return len(reporters)


def resolve_flags(*, moderator: User, reply_ids: list[int]) -> int:
    """Mark every open report on these replies as dealt with; returns how many were open."""
    if not can_moderate(moderator):
        raise Forbidden(_("Only moderators can resolve reports."))
    open_flags = [Flag.reply_id.in_(reply_ids), Flag.resolved_at.is_(None)]
    count = db.session.scalar(select(func.count(Flag.id)).where(*open_flags)) or 0
    if not count:
        return 0
    close_open_flags(moderator=moderator, reply_ids=reply_ids)
    audit.record(
        actor=moderator,
        action=AuditAction.RESOLVE_FLAGS,
        target_type="reply",
        target_ids=sorted(set(reply_ids)),
        before={"open_flags": count},
        after={"open_flags": 0},
    )
    db.session.commit()
    return count


def close_open_flags(*, moderator: User, reply_ids: list[int]) -> list[int]:
    """Resolve open reports on these replies (no commit); returns the replies that had any."""
    open_flags = Flag.reply_id.in_(reply_ids), Flag.resolved_at.is_(None)
    reported = sorted(set(db.session.scalars(select(Flag.reply_id).where(*open_flags))))
    if reported:
        db.session.execute(
            update(Flag)
            .where(*open_flags)
            .values(resolved_at=utcnow(), resolved_by_id=moderator.id)
            .execution_options(synchronize_session=False)
        )
    return reported


def open_flags_for(reply_ids: list[int]) -> dict[int, list[Flag]]:
    """Open reports grouped by reply, oldest first, in one query: for the moderation queue."""
    if not reply_ids:
        return {}
    rows = db.session.scalars(
        select(Flag)
        .where(Flag.reply_id.in_(reply_ids), Flag.resolved_at.is_(None))
        .order_by(Flag.created_at, Flag.id)
    )
    grouped: dict[int, list[Flag]] = defaultdict(list)
    for flag in rows:
        grouped[flag.reply_id].append(flag)
    return dict(grouped)
