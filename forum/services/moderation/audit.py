"""The audit log: one insert-only row per moderation or admin action."""

from __future__ import annotations

from typing import Any

from forum.extensions import db
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import User

SYSTEM_NAME = "Porch"  # the actor of automatic actions, such as hiding a reply at N reports


def record(
    *,
    actor: User | None,
    action: AuditAction,
    target_type: str,
    target_ids: list[int],
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    undoes: AuditEntry | None = None,
) -> AuditEntry:
    """Stage an entry; the calling service commits it together with the change it describes."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        actor_name=actor.display_name if actor is not None else SYSTEM_NAME,
        action=action,
        target_type=target_type,
        target_ids=list(target_ids),
        before=before or {},
        after=after or {},
        reason=reason,
        undoes_id=undoes.id if undoes is not None else None,
    )
    db.session.add(entry)
    return entry
