"""Reading the audit log, with filters, newest first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement
from sqlalchemy import String
from sqlalchemy import cast
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models import AuditAction
from forum.models import AuditEntry


@dataclass
class AuditPage:
    entries: list[AuditEntry]
    undone_ids: set[int]  # entries that a later UNDO entry reverted
    page: int
    has_next: bool


def _names_target(target_id: int) -> ColumnElement[bool]:
    """target_ids is a JSON list written as "[1, 2, 3]"; match one id in its text, portably."""
    text = cast(AuditEntry.target_ids, String)
    return or_(
        *(
            text.like(pattern)
            for pattern in (
                f"[{target_id}]",
                f"[{target_id},%",
                f"%, {target_id},%",
                f"%, {target_id}]",
            )
        )
    )


def audit_page(
    *,
    action: AuditAction | None,
    actor: str | None,
    target_id: int | None,
    page: int,
    per_page: int,
) -> AuditPage:
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if action is not None:
        query = query.where(AuditEntry.action == action)
    if actor:
        query = query.where(AuditEntry.actor_name.icontains(actor, autoescape=True))
    if target_id is not None:
        query = query.where(_names_target(target_id))
    rows = list(db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)))
    shown = rows[:per_page]
    undo = aliased(AuditEntry)
    undone = (
        set(
            db.session.scalars(
                select(undo.undoes_id).where(undo.undoes_id.in_([e.id for e in shown]))
            )
        )
        if shown
        else set()
    )
    return AuditPage(shown, {i for i in undone if i is not None}, page, len(rows) > per_page)
