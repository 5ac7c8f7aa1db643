"""The gate in front of every /mod page: guests go to sign in, members get 403."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import redirect
from flask import request
from flask import url_for
from werkzeug.wrappers import Response

from forum.i18n import _
from forum.models import Role
from forum.models import User
from forum.security.policies import can_moderate
from forum.web.actor import signed_in_user


def current_moderator() -> User:
    user = signed_in_user()
    if user is None or not can_moderate(user):
        abort(403)
    return user


def guard(blueprint: Blueprint, admin_only: bool = False) -> None:
    """Check the role on the server before any view of the blueprint runs."""

    @blueprint.before_request
    def _require_staff() -> Response | None:
        user = signed_in_user()
        if user is None and request.method == "GET":
            return redirect(url_for("accounts.login", next=request.full_path), code=302)
        if user is None:  # a form post from nobody: refuse, there is nothing to come back to
            abort(403, _("Sign in as a moderator first."))
        if not can_moderate(user) or (admin_only and user.role is not Role.ADMIN):
            abort(
                403,
                _("This page is for moderators.")
                if not admin_only
                else _("This page is for admins."),
            )
        return None
