"""Public member profiles."""

from __future__ import annotations

from flask import Blueprint
from flask import render_template
from flask.typing import ResponseReturnValue

from forum.services import profiles
from forum.web.threads import page_arg

bp = Blueprint("profiles", __name__)
REPLIES_PER_PROFILE_PAGE = 20


@bp.get("/u/<int:user_id>")
def show(user_id: int) -> ResponseReturnValue:
    user = profiles.get_user(user_id)
    page = profiles.profile_page(user, page_arg(), REPLIES_PER_PROFILE_PAGE)
    return render_template("profiles/show.html", profile=page)
