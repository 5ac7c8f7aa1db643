"""Reporting a reply to the moderators: a small form page, or an inline form posted by JS."""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.errors import wants_json
from forum.extensions import limiter
from forum.i18n import _
from forum.i18n import lazy_gettext
from forum.models import Reply
from forum.services import placement
from forum.services.moderation import flags
from forum.web.actor import current_actor
from forum.web.forms import ReportForm
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.presenters import reply_anchor_url

bp = Blueprint("reports", __name__)

THANKS = lazy_gettext("Thanks — a moderator will look at it.")


def _report_rate_limit() -> str:
    return str(current_app.config["REPORT_RATE_LIMIT"])


@bp.get("/replies/<int:reply_id>/report")
def new(reply_id: int) -> ResponseReturnValue:
    """The report form on its own page: the no-JavaScript way to report a reply."""
    reply = flags.reportable_reply(actor=current_actor(), reply_id=reply_id)
    return render_template("reports/new.html", reply=reply, form=ReportForm())


@bp.post("/replies/<int:reply_id>/report")
@limiter.limit(_report_rate_limit)
def create(reply_id: int) -> ResponseReturnValue:
    form = ReportForm()
    if not form.validate():
        return _form_errors(reply_id, form)
    try:
        result = flags.flag_reply(
            actor=current_actor(create_guest_token=True),
            reply_id=reply_id,
            reason=form.flag_reason,
            note=value(form.note),
        )
    except InvalidInput as error:
        apply_errors(form, error)
        return _form_errors(reply_id, form)
    if wants_json():
        return jsonify(
            reported=True, already_reported=result.already_reported, hidden=result.hidden
        )
    flash(str(THANKS), "success")
    return redirect(_thread_url(result.reply), code=303)


def _form_errors(reply_id: int, form: ReportForm) -> ResponseReturnValue:
    """Back to the form with the choice and note kept and each message beside its field."""
    if wants_json():
        errors = {name: list(msgs) for name, msgs in form.errors.items()}
        return jsonify(error=_("Please correct the highlighted fields."), errors=errors), 400
    reply = flags.reportable_reply(actor=current_actor(), reply_id=reply_id)
    return render_template("reports/new.html", reply=reply, form=form), 400


def _thread_url(reply: Reply) -> str:
    """The thread page the reply is on, at its anchor (gone there if the report hid it)."""
    per_page = current_app.config["REPLIES_PER_PAGE"]
    return reply_anchor_url(reply, placement.page_of_reply(reply, current_actor(), per_page))
