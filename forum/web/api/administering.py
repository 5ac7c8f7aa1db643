"""Admins: the moderation rules and who is staff, as on the dashboard's settings pages."""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import replace

from flask import jsonify
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.i18n import _
from forum.models import Role
from forum.models import User
from forum.services import site_settings
from forum.services.moderation import admin
from forum.services.moderation.permissions import require_admin
from forum.web.api import schemas
from forum.web.api.blueprint import moderator_route
from forum.web.api.body import json_body
from forum.web.api.moderating import moderator


@moderator_route(
    "/moderation/rules",
    "GET",
    summary="The moderation rules (admins)",
    response=schemas.RULES,
)
def moderation_rules() -> ResponseReturnValue:
    require_admin(moderator())
    return jsonify(asdict(site_settings.moderation_settings()))


@moderator_route(
    "/moderation/rules",
    "PATCH",
    summary="Change some moderation rules; the others stay as they are (admins)",
    response=schemas.RULES,
    body=schemas.RULES_IN,
)
def update_rules() -> ResponseReturnValue:
    require_admin(moderator())  # before looking at the body: non-admins learn nothing from it
    changes = json_body()
    proposed = replace(site_settings.moderation_settings(), **changes)
    return jsonify(asdict(admin.update_rules(admin=moderator(), rules=proposed)))


@moderator_route(
    "/moderation/accounts/<int:user_id>",
    "PATCH",
    summary="Set an account's role, or whether it may write posts at the desk (admins)",
    response=schemas.ACCOUNT,
    body=schemas.ACCOUNT_IN,
)
def update_account(user_id: int) -> ResponseReturnValue:
    require_admin(moderator())  # before looking at the body: non-admins learn nothing from it
    data = json_body()
    user: User | None = None
    if "role" in data:
        user = admin.set_role(admin=moderator(), user_id=user_id, role=Role(data["role"]))
    if "can_author" in data:
        user = admin.set_author(admin=moderator(), user_id=user_id, allowed=data["can_author"])
    if user is None:  # neither was sent
        raise InvalidInput({"role": [_("Send a role, can_author or both.")]})
    return jsonify(
        id=user.id, display_name=user.display_name, role=user.role.value, can_author=user.can_author
    )
