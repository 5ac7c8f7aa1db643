"""A member's notifications: the page, marking read, and the unread count in the header."""

from __future__ import annotations

from flask import Blueprint
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from sqlalchemy.exc import SQLAlchemyError

from forum.i18n import _
from forum.i18n import ngettext
from forum.models import User
from forum.security.sessions import UNREAD_KEY
from forum.services.notifying import inbox
from forum.web.account_forms import ActionForm
from forum.web.actor import signed_in_user
from forum.web.inbox.presenters import present
from forum.web.threads import page_arg

bp = Blueprint("inbox", __name__, url_prefix="/notifications")
PER_PAGE = 30


def _me() -> User:
    user = signed_in_user()
    assert user is not None  # nosec B101  # login_required ran first
    return user


def unread_notifications() -> int:
    """The header's count: read with the user's row on a GET (security/sessions.py), else one
    query per request and only when a signed-in page asks."""
    user = signed_in_user()  # loads the user first, and with it the count
    if UNREAD_KEY not in g:
        try:
            setattr(g, UNREAD_KEY, inbox.unread_count(user) if user is not None else 0)
        except SQLAlchemyError:  # an error page for a broken database still renders
            setattr(g, UNREAD_KEY, 0)
    return int(g.get(UNREAD_KEY))


@bp.get("")
@login_required
def index() -> ResponseReturnValue:
    page = inbox.inbox_page(user=_me(), page=page_arg(), per_page=PER_PAGE)
    g.unread_notifications = page.unread  # the header needs no second count
    return render_template(
        "inbox/index.html",
        page=page,
        items=[present(n) for n in page.notifications],
        action=ActionForm(formdata=None),
    )


@bp.post("/<int:notification_id>/read")
@login_required
def read(notification_id: int) -> ResponseReturnValue:
    inbox.mark_read(user=_me(), notification_id=notification_id)
    flash(_("Marked as read."), "success")
    return redirect(url_for(".index", page=page_arg(), _anchor=f"n{notification_id}"))


@bp.post("/read-all")
@login_required
def read_all() -> ResponseReturnValue:
    count = inbox.mark_all_read(user=_me())
    flash(
        ngettext(
            "Marked %(num)d notification as read.", "Marked %(num)d notifications as read.", count
        ),
        "success",
    )
    return redirect(url_for(".index"))
