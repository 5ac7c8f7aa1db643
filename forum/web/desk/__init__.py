"""The site owner's desk: write and publish posts, manage categories (authors only)."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import redirect
from flask import request
from flask import url_for
from werkzeug.wrappers import Response

from forum.i18n import _
from forum.security.policies import can_author
from forum.web.actor import signed_in_user
from forum.web.desk import categories
from forum.web.desk import posts
from forum.web.desk.presenters import status_code
from forum.web.desk.presenters import status_label

bp = Blueprint("desk", __name__, url_prefix="/desk")
bp.register_blueprint(posts.bp)
bp.register_blueprint(categories.bp)


@bp.before_request
def _require_author() -> Response | None:
    """Checked on the server before every desk view, the nested ones included."""
    user = signed_in_user()
    if user is None and request.method == "GET":
        return redirect(url_for("accounts.login", next=request.full_path), code=302)
    if user is None:
        abort(403, _("Sign in as an author first."))
    if not can_author(user):
        abort(403, _("The desk is for authors: an admin can let you write posts."))
    return None


@bp.context_processor
def _presenters() -> dict[str, object]:
    return {"status_label": status_label, "status_code": status_code}


def may_use_desk() -> bool:
    """For the header link: is the signed-in person an author?"""
    return can_author(signed_in_user())
