"""Server-side checks at the top of every moderation and admin service call."""

from __future__ import annotations

from forum.errors import Forbidden
from forum.i18n import _
from forum.models import Role
from forum.models import User
from forum.security.policies import can_moderate


def require_moderator(user: User | None) -> User:
    if user is None or not can_moderate(user):
        raise Forbidden(_("Only moderators can do that."))
    return user


def require_admin(user: User | None) -> User:
    if user is None or not can_moderate(user) or user.role is not Role.ADMIN:
        raise Forbidden(_("Only admins can do that."))
    return user
