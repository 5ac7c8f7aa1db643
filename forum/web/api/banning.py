"""Moderators: bans in force, banning an account, an email or an IP range, and lifting a ban."""

from __future__ import annotations

from datetime import timedelta

from flask import jsonify
from flask.typing import ResponseReturnValue

from forum.models.base import utcnow
from forum.services.moderation import bans
from forum.web.api import schemas
from forum.web.api.blueprint import moderator_route
from forum.web.api.body import json_body
from forum.web.api.moderating import moderator
from forum.web.api.presenters import ban_json


@moderator_route("/moderation/bans", "GET", summary="Bans in force", response=schemas.BANS)
def list_bans() -> ResponseReturnValue:
    return jsonify(bans=[ban_json(ban) for ban in bans.bans_in_force()])


@moderator_route(
    "/moderation/bans",
    "POST",
    summary="Ban an account, an email or an IP range, for some days or until lifted",
    status=201,
    response=schemas.BAN,
    body=schemas.BAN_IN,
)
def create_ban() -> ResponseReturnValue:
    data = json_body()
    days = data.get("days")
    wanted = bans.BanRequest(
        user_id=data.get("user_id"),
        email=data.get("email") or None,
        ip_range=data.get("ip_range") or None,
        reason=data.get("reason", ""),
        expires_at=utcnow() + timedelta(days=days) if days else None,
        remove_replies=bool(data.get("remove_replies", False)),
    )
    return jsonify(ban_json(bans.ban(moderator=moderator(), request=wanted))), 201


@moderator_route(
    "/moderation/bans/<int:ban_id>/lift",
    "POST",
    summary="Lift a ban (unban)",
    response=schemas.BAN,
    body=schemas.LIFT_IN,
)
def lift_ban(ban_id: int) -> ResponseReturnValue:
    reason = json_body().get("reason", "")
    return jsonify(ban_json(bans.lift_ban(moderator=moderator(), ban_id=ban_id, reason=reason)))
