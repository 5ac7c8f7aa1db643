"""Acting on a reply together with everything under it, in one statement on the path."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update

from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.models.base import utcnow
from forum.services.moderation import audit
from forum.services.moderation.lessons import retrain
from forum.services.moderation.permissions import require_moderator
from forum.services.webhooks import events as webhooks

# action: (audit action, which rows change, new values)
BRANCH_ACTIONS: dict[str, tuple[AuditAction, Any, dict[str, Any]]] = {
    "hold": (
        AuditAction.HOLD_BRANCH,
        Reply.status == ReplyStatus.APPROVED,
        {"status": ReplyStatus.PENDING},
    ),
    "trash": (
        AuditAction.TRASH_BRANCH,
        Reply.status != ReplyStatus.TRASH,
        {"status": ReplyStatus.TRASH},
    ),
    "lock": (AuditAction.LOCK_BRANCH, Reply.locked_at.is_(None), {"locked_at": "now"}),
    "unlock": (AuditAction.UNLOCK_BRANCH, Reply.locked_at.is_not(None), {"locked_at": None}),
    "collapse": (AuditAction.COLLAPSE_BRANCH, Reply.collapsed.is_(False), {"collapsed": True}),
}


def _in_branch(reply: Reply) -> Any:
    return or_(Reply.id == reply.id, Reply.path.startswith(reply.path + "/", autoescape=True))


def moderate_branch(
    *, moderator: User | None, reply_id: int, action: str, reason: str = ""
) -> AuditEntry:
    """Hold, trash, lock, unlock or collapse a reply and its whole subtree."""
    actor = require_moderator(moderator)
    if action not in BRANCH_ACTIONS:
        raise InvalidInput({"action": [_("Unknown branch action “%(action)s”.", action=action)]})
    root = db.session.get(Reply, reply_id)
    if root is None:
        raise NotFound(_("That reply does not exist."))
    audit_action, applies, values = BRANCH_ACTIONS[action]
    where = [Reply.post_id == root.post_id, _in_branch(root), applies]
    if action == "collapse":  # folding applies to the branch's top reply only
        where = [Reply.id == root.id, applies]
    ids = list(db.session.scalars(select(Reply.id).where(*where)))
    before = _snapshot(ids, values)
    stamped = {k: (utcnow() if v == "now" else v) for k, v in values.items()}
    decided = {"moderated_at": utcnow(), "moderated_by_id": actor.id} if "status" in values else {}
    db.session.execute(
        update(Reply)
        .where(*where)
        .values(**stamped, **decided)
        .execution_options(synchronize_session=False)
    )
    if "status" in values and ids:  # the spam filter follows status changes
        db.session.flush()
        retrain(
            db.session.scalars(
                select(Reply).where(Reply.id.in_(ids)).execution_options(populate_existing=True)
            )
        )
    entry = audit.record(
        actor=actor,
        action=audit_action,
        target_type="reply",
        target_ids=ids,
        before=before,
        after={k: _plain(v) for k, v in stamped.items()},
        reason=reason,
    )
    if action == "trash":
        webhooks.replies_moderated(ids, ReplyStatus.TRASH, actor.display_name)
    db.session.commit()
    db.session.expire_all()
    return entry


def _snapshot(ids: list[int], values: dict[str, Any]) -> dict[str, Any]:
    """Each changed field's old value per reply, so the branch action can be undone exactly."""
    if not ids:
        return {}
    columns = [getattr(Reply, name) for name in values]
    rows = db.session.execute(select(Reply.id, *columns).where(Reply.id.in_(ids))).all()
    return {
        name: {str(row[0]): _plain(row[i + 1]) for row in rows} for i, name in enumerate(values)
    }


def _plain(value: Any) -> Any:
    """JSON-ready: statuses by value, times as ISO text."""
    if isinstance(value, ReplyStatus):
        return value.value
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
