"""Moderators: the queue, decisions on replies, bans and the audit log."""

from __future__ import annotations

from flask import jsonify
from flask import request
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.models import AuditAction
from forum.services.moderation import actions
from forum.services.moderation import bans
from forum.services.moderation import queue
from forum.services.moderation.audit_log import audit_page
from forum.web.api import schemas
from forum.web.api.auth import caller
from forum.web.api.blueprint import bp
from forum.web.api.body import json_body
from forum.web.api.presenters import audit_json
from forum.web.api.presenters import ban_json
from forum.web.api.presenters import queue_item_json
from forum.web.api.reading import PAGE
from forum.web.api.reading import page_arg
from forum.web.api.spec import operation

PER_PAGE = 50
TABS = [tab.value for tab in queue.Tab]
ACTIONS = [action.value for action in AuditAction]


def _choice(name: str, allowed: list[str], default: str | None) -> str | None:
    raw = request.args.get(name, default)
    if raw is not None and raw not in allowed:
        raise InvalidInput({name: [f"Must be one of: {', '.join(allowed)}."]})
    return raw


@operation(
    bp,
    "/moderation/queue",
    "GET",
    summary="A page of the moderation queue",
    scope="moderate",
    response=schemas.QUEUE,
    query={**PAGE, "tab": {"enum": TABS}, "sort": {"enum": ["newest", "oldest"]}},
)
def moderation_queue() -> ResponseReturnValue:
    tab = queue.Tab(_choice("tab", TABS, None) or queue.Tab.PENDING.value)
    found = queue.load_queue(
        tab=tab,
        filters=queue.QueueFilters(),
        newest_first=_choice("sort", ["newest", "oldest"], "newest") == "newest",
        page=page_arg(),
        per_page=PER_PAGE,
    )
    return jsonify(
        items=[queue_item_json(item) for item in found.items],
        counts={t.value: n for t, n in found.counts.items()},
        tab=tab.value,
        page=found.page,
        has_next=found.has_next,
    )


@operation(
    bp,
    "/moderation/actions",
    "POST",
    summary="Approve, trash, mark spam or not spam",
    scope="moderate",
    response=schemas.ACTED,
    body=schemas.ACT_IN,
)
def moderate() -> ResponseReturnValue:
    data = json_body()
    result = actions.moderate(
        moderator=caller().user,
        reply_ids=data["ids"],
        action=data["action"],
        reason=data.get("reason", ""),
    )
    return jsonify(changed=[r.id for r in result.changed], skipped=result.skipped)


@operation(
    bp, "/moderation/bans", "GET", summary="Bans in force", scope="moderate", response=schemas.BANS
)
def list_bans() -> ResponseReturnValue:
    return jsonify(bans=[ban_json(ban) for ban in bans.bans_in_force()])


@operation(
    bp,
    "/moderation/bans",
    "POST",
    summary="Ban an account, an email or an IP range",
    scope="moderate",
    status=201,
    response=schemas.BAN,
    body=schemas.BAN_IN,
)
def create_ban() -> ResponseReturnValue:
    data = json_body()
    wanted = bans.BanRequest(
        user_id=data.get("user_id"),
        email=data.get("email") or None,
        ip_range=data.get("ip_range") or None,
        reason=data.get("reason", ""),
        remove_replies=bool(data.get("remove_replies", False)),
    )
    return jsonify(ban_json(bans.ban(moderator=caller().user, request=wanted))), 201


@operation(
    bp,
    "/moderation/bans/<int:ban_id>/lift",
    "POST",
    summary="Lift a ban",
    scope="moderate",
    response=schemas.BAN,
    body=schemas.LIFT_IN,
)
def lift_ban(ban_id: int) -> ResponseReturnValue:
    reason = json_body().get("reason", "")
    return jsonify(ban_json(bans.lift_ban(moderator=caller().user, ban_id=ban_id, reason=reason)))


@operation(
    bp,
    "/moderation/audit",
    "GET",
    summary="The audit log, newest first",
    scope="moderate",
    response=schemas.AUDIT,
    query={**PAGE, "action": {"enum": ACTIONS}, "actor": schemas.STR},
)
def audit_log() -> ResponseReturnValue:
    raw = _choice("action", ACTIONS, None)
    log = audit_page(
        action=AuditAction(raw) if raw else None,
        actor=request.args.get("actor") or None,
        target_id=None,
        page=page_arg(),
        per_page=PER_PAGE,
    )
    return jsonify(
        entries=[audit_json(e, e.id in log.undone_ids) for e in log.entries],
        page=log.page,
        has_next=log.has_next,
    )
