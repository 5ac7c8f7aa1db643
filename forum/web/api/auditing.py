"""Moderators: the audit log with the dashboard's filters, and undo from any entry."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from forum.models import AuditAction
from forum.services.moderation.audit_log import audit_page
from forum.services.moderation.undo import undo
from forum.web.api import schemas
from forum.web.api.blueprint import moderator_route
from forum.web.api.body import query_args
from forum.web.api.moderating import PER_PAGE
from forum.web.api.moderating import moderator
from forum.web.api.presenters import audit_json
from forum.web.api.reading import PAGE
from forum.web.api.reading import page_arg

ACTIONS = [action.value for action in AuditAction]


@moderator_route(
    "/moderation/audit",
    "GET",
    summary="The audit log, newest first; by action, actor or target reply or ban",
    response=schemas.AUDIT,
    query={**PAGE, "action": {"enum": ACTIONS}, "actor": schemas.STR, "target": schemas.ID},
)
def audit_log() -> ResponseReturnValue:
    args = query_args()
    log = audit_page(
        action=AuditAction(args["action"]) if "action" in args else None,
        actor=args.get("actor"),
        target_id=args.get("target"),
        page=page_arg(),
        per_page=PER_PAGE,
    )
    return jsonify(
        entries=[audit_json(e, e.id in log.undone_ids) for e in log.entries],
        page=log.page,
        has_next=log.has_next,
    )


@moderator_route(
    "/moderation/audit/<int:entry_id>/undo",
    "POST",
    summary="Undo the action an audit entry records, where nothing changed it since",
    response=schemas.ENTRY,
)
def undo_entry(entry_id: int) -> ResponseReturnValue:
    record = undo(moderator=moderator(), entry_id=entry_id)
    return jsonify(audit_json(record, undone=False))
