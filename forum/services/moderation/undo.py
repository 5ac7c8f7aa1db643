"""Undo any logged moderation action from its audit entry, itself logged as an UNDO entry."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy import update

from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import Ban
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.models.base import utcnow
from forum.services import site_settings
from forum.services.moderation import audit
from forum.services.moderation.actions import replace_body
from forum.services.moderation.actions import set_statuses
from forum.services.moderation.bans import sync_user_ban
from forum.services.moderation.flags import close_open_flags
from forum.services.moderation.keep import reopen_reports
from forum.services.moderation.permissions import require_moderator


def undo(*, moderator: User | None, entry_id: int) -> AuditEntry:
    """Put things back as the entry's "before" says, where they still are as it left them."""
    actor = require_moderator(moderator)
    entry = db.session.get(AuditEntry, entry_id)
    if entry is None:
        raise NotFound(_("That log entry does not exist."))
    undone = select(AuditEntry.id).where(AuditEntry.undoes_id == entry.id)
    if db.session.scalar(undone) is not None:
        raise InvalidInput({"entry": [_("That action was already undone.")]})
    handler = _HANDLERS.get(entry.action)
    if handler is None:
        raise InvalidInput(
            {"entry": [_("“%(action)s” actions cannot be undone.", action=entry.action.value)]}
        )
    if (
        entry.action in (AuditAction.SET_ROLE, AuditAction.UPDATE_RULES)
        and actor.role is not Role.ADMIN
    ):
        raise InvalidInput({"entry": [_("Only admins can undo settings and role changes.")]})
    changed = handler(actor, entry)
    record = audit.record(
        actor=actor,
        action=AuditAction.UNDO,
        target_type=entry.target_type,
        target_ids=changed,
        before=entry.after,
        after=entry.before,
        reason=f"undo #{entry.id} ({entry.action.value})",
        undoes=entry,
    )
    db.session.commit()
    db.session.expire_all()
    return record


def _statuses(entry: AuditEntry) -> dict[int, ReplyStatus]:
    """Old statuses: per reply, or one value for all targets (automatic hides)."""
    before = entry.before.get("status", {})
    if isinstance(before, str):
        return {reply_id: ReplyStatus(before) for reply_id in entry.target_ids}
    return {int(reply_id): ReplyStatus(status) for reply_id, status in before.items()}


def _left_status(entry: AuditEntry) -> ReplyStatus:
    """The status the action left its replies in (a ban trashes what it removes)."""
    after = entry.after.get("status")
    return ReplyStatus(after) if isinstance(after, str) else ReplyStatus.TRASH


def _restore_status(actor: User, entry: AuditEntry) -> list[int]:
    """Only replies still as the action left them go back; later decisions stand."""
    changed = set_statuses(moderator=actor, statuses=_statuses(entry), expected=_left_status(entry))
    if entry.action is AuditAction.HIDE_FLAGGED and changed:
        _dismiss_reports(actor, changed)
    return changed


def _dismiss_reports(actor: User, reply_ids: list[int]) -> None:
    """Undoing an automatic hide means the reports did not stand: close them."""
    close_open_flags(moderator=actor, reply_ids=reply_ids)
    db.session.execute(
        update(Reply)
        .where(Reply.id.in_(reply_ids))
        .values(held_reason=None)
        .execution_options(synchronize_session=False)
    )


def _restore_field(
    name: str, parse: Callable[[Any], Any]
) -> Callable[[User, AuditEntry], list[int]]:
    def restore(actor: User, entry: AuditEntry) -> list[int]:
        left = entry.after.get(name)
        column = getattr(Reply, name)
        # Still as the action left it; times compare as "set" since ISO text loses precision.
        still = (
            (column.is_(None) if left is None else column.is_not(None))
            if name == "locked_at"
            else column == left
        )
        changed = []
        for reply_id, value in entry.before.get(name, {}).items():
            result = db.session.execute(
                update(Reply)
                .where(Reply.id == int(reply_id), still)
                .values({name: parse(value)})
                .execution_options(synchronize_session=False)
            )
            if result.rowcount:  # type: ignore[attr-defined]
                changed.append(int(reply_id))
        return changed

    return restore


def _restore_body(actor: User, entry: AuditEntry) -> list[int]:
    """Only if nobody edited it since: a later fix is never thrown away."""
    reply = db.session.get(Reply, entry.target_ids[0])
    if reply is None or reply.body_source != entry.after.get("body"):
        return []
    replace_body(reply, str(entry.before["body"]), editor=actor)
    return [reply.id]


def _undo_keep(actor: User, entry: AuditEntry) -> list[int]:
    """Replies that reports had hidden go back to pending, and the dismissed reports reopen."""
    set_statuses(moderator=actor, statuses=_statuses(entry), expected=ReplyStatus.APPROVED)
    reopen_reports([int(flag_id) for flag_id in entry.before.get("open_reports", [])])
    return list(entry.target_ids)


def _undo_ban(actor: User, entry: AuditEntry) -> list[int]:
    ban = db.session.get(Ban, entry.target_ids[0])
    if ban is not None and ban.lifted_at is None:
        ban.lifted_at, ban.lifted_by_id = utcnow(), actor.id
        if ban.user is not None:
            db.session.flush()
            sync_user_ban(ban.user)
    return set_statuses(moderator=actor, statuses=_statuses(entry), expected=ReplyStatus.TRASH)


def _undo_lift(actor: User, entry: AuditEntry) -> list[int]:
    ban = db.session.get(Ban, entry.target_ids[0])
    if ban is not None:
        ban.lifted_at = ban.lifted_by_id = None
        if ban.user is not None:
            db.session.flush()
            sync_user_ban(ban.user)
    return list(entry.target_ids)


def _undo_role(actor: User, entry: AuditEntry) -> list[int]:
    user = db.session.get(User, entry.target_ids[0])
    if user is not None and "role" in entry.before:
        user.role = Role(entry.before["role"])
    if user is not None and "author" in entry.before:
        user.can_author = bool(entry.before["author"])
    return list(entry.target_ids)


def _undo_rules(actor: User, entry: AuditEntry) -> list[int]:
    site_settings.store_moderation_settings(site_settings.ModerationSettings(**entry.before))
    return []


def _time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


_HANDLERS: dict[AuditAction, Callable[[User, AuditEntry], list[int]]] = {
    AuditAction.APPROVE: _restore_status,
    AuditAction.TRASH: _restore_status,
    AuditAction.SPAM: _restore_status,
    AuditAction.NOT_SPAM: _restore_status,
    AuditAction.HOLD_BRANCH: _restore_status,
    AuditAction.HIDE_FLAGGED: _restore_status,
    AuditAction.KEEP: _undo_keep,
    AuditAction.TRASH_BRANCH: _restore_status,
    AuditAction.LOCK_BRANCH: _restore_field("locked_at", _time),
    AuditAction.UNLOCK_BRANCH: _restore_field("locked_at", _time),
    AuditAction.COLLAPSE_BRANCH: _restore_field("collapsed", bool),
    AuditAction.EDIT: _restore_body,
    AuditAction.BAN: _undo_ban,
    AuditAction.LIFT_BAN: _undo_lift,
    AuditAction.SET_ROLE: _undo_role,
    AuditAction.UPDATE_RULES: _undo_rules,
}
