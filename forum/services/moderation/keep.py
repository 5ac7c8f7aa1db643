"""Keep a reported reply: dismiss its open reports and leave it up (approving it if reports hid it).

Like every status change, one guarded UPDATE, one audit entry with before and after (the closed
reports included, so undo can reopen them), one commit.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy import update

from forum.errors import InvalidInput
from forum.extensions import db
from forum.i18n import _
from forum.models import AuditAction
from forum.models import Flag
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.models.base import utcnow
from forum.services import notifying
from forum.services.moderation import audit
from forum.services.moderation.actions import ModerationResult
from forum.services.moderation.actions import set_status
from forum.services.moderation.flags import FLAGGED
from forum.services.moderation.lessons import retrain
from forum.services.moderation.permissions import require_moderator
from forum.services.webhooks import events as webhooks

_KEEPABLE = (ReplyStatus.APPROVED, ReplyStatus.PENDING)


def keep(*, moderator: User | None, reply_ids: list[int], reason: str = "") -> ModerationResult:
    """Dismiss the open reports on these replies and keep them approved; others are skipped."""
    actor = require_moderator(moderator)
    if not reply_ids:
        raise InvalidInput({"ids": [_("Select at least one reply.")]})
    reports = _open_reports(reply_ids)
    replies = db.session.scalars(select(Reply).where(Reply.id.in_(reply_ids)))
    candidates = [r for r in replies if _keepable(r, set(reports.values()))]
    before = {r.id: r.status.value for r in candidates}
    kept = set_status(candidates, _KEEPABLE, ReplyStatus.APPROVED, actor) if candidates else []
    result = ModerationResult(changed=kept, skipped=len(reply_ids) - len(kept))
    if not kept:
        return result
    kept_ids = {r.id for r in kept}
    flag_ids = sorted(flag_id for flag_id, reply_id in reports.items() if reply_id in kept_ids)
    db.session.execute(
        update(Flag)
        .where(Flag.id.in_(flag_ids), Flag.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=actor.id)
        .execution_options(synchronize_session=False)
    )
    retrain(kept)
    result.entry = audit.record(
        actor=actor,
        action=AuditAction.KEEP,
        target_type="reply",
        target_ids=[r.id for r in kept],
        before={"status": {str(r.id): before[r.id] for r in kept}, "open_reports": flag_ids},
        after={"status": ReplyStatus.APPROVED.value, "open_reports": []},
        reason=reason,
    )
    released = [r for r in kept if before[r.id] == ReplyStatus.PENDING.value]
    notifying.replies_visible(released, approved_by=actor)
    webhooks.replies_moderated([r.id for r in released], ReplyStatus.APPROVED, actor.display_name)
    db.session.commit()
    return result


def _open_reports(reply_ids: list[int]) -> dict[int, int]:
    """Open report id → reply id, for these replies."""
    query = select(Flag.id, Flag.reply_id).where(
        Flag.reply_id.in_(reply_ids), Flag.resolved_at.is_(None)
    )
    return {flag_id: reply_id for flag_id, reply_id in db.session.execute(query)}


def _keepable(reply: Reply, reported: set[int]) -> bool:
    """Up, or hidden by reports, and reported: a reply held by the rules is approved instead."""
    if reply.status is ReplyStatus.APPROVED:
        return reply.id in reported
    return reply.status is ReplyStatus.PENDING and (
        reply.id in reported or reply.held_reason == FLAGGED
    )


def reopen_reports(flag_ids: list[int]) -> None:
    """Undoing a Keep: the reports it dismissed are open again (stages; the caller commits)."""
    db.session.execute(
        update(Flag)
        .where(Flag.id.in_(flag_ids), Flag.resolved_at.is_not(None))
        .values(resolved_at=None, resolved_by_id=None)
        .execution_options(synchronize_session=False)
    )
