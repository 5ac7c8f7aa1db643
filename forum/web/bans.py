"""Bans in the dashboard: list, ban an account, email or IP range, and lift."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import DomainError
from forum.errors import InvalidInput
from forum.i18n import _
from forum.models.base import utcnow
from forum.services.moderation import bans as ban_service
from forum.services.moderation.bans import BanRequest
from forum.web.account_forms import ActionForm
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.ids import parse_id
from forum.web.moderation import LAST_ACTION_KEY
from forum.web.moderation_forms import BanForm
from forum.web.signin import safe_next
from forum.web.staff import current_moderator
from forum.web.staff import guard

bp = Blueprint("bans", __name__, url_prefix="/mod/bans")
guard(bp)


@bp.get("")
def index() -> ResponseReturnValue:
    return _page(BanForm(formdata=None))


def _page(form: BanForm, status: int = 200) -> ResponseReturnValue:
    """The bans in force and the new-ban form (with its errors and input, when refused)."""
    return render_template(
        "bans/index.html",
        bans=ban_service.bans_in_force(),
        form=form,
        action=ActionForm(formdata=None),
        next_url=safe_next(request.form.get("next"), "") if request.method == "POST" else "",
    ), status


def _request_from(form: BanForm) -> BanRequest:
    target, raw = value(form.target), value(form.value)
    user_id = parse_id(raw) if target == "user" else None
    if target == "user" and user_id is None:
        message = _("Give the account’s number (shown beside its name on its replies).")
        if "@" in raw:
            message = _(
                "That is an email address: choose “Email” above, or give an account number."
            )
        raise InvalidInput({"value": [message]})
    if target == "email" and "@" not in raw:
        raise InvalidInput({"value": [_("Enter an email address, such as name@example.org.")]})
    return BanRequest(
        user_id=user_id,
        email=raw if target == "email" else None,
        ip_range=raw if target == "ip" else None,
        reason=value(form.reason),
        expires_at=utcnow() + timedelta(days=form.days.data) if form.days.data else None,
        remove_replies=bool(form.remove_replies.data),
    )


# The service names what it checks; the form has one box for all three kinds of target.
_FIELDS = {"ip_range": "value", "email": "value", "user_id": "value", "expires_at": "days"}


@bp.post("")
def create() -> ResponseReturnValue:
    form = BanForm()
    try:
        if not form.validate():
            raise InvalidInput({})
        ban = ban_service.ban(moderator=current_moderator(), request=_request_from(form))
    except InvalidInput as error:
        apply_errors(form, InvalidInput({_FIELDS.get(k, k): v for k, v in error.errors.items()}))
        return _page(form, 400)
    except DomainError as error:  # no such account, or a moderator: say so on the form
        form.form_errors.append(error.message)
        return _page(form, error.status_code)
    if form.remove_replies.data:
        done = _("Ban #%(id)d is in force. Their replies are in the trash.", id=ban.id)
    else:
        done = _("Ban #%(id)d is in force.", id=ban.id)
    session[LAST_ACTION_KEY] = {"message": done, "entry_id": None}
    flash(
        _("%(done)s Undo it from the audit log if needed.", done=done),
        "success",
    )
    return redirect(safe_next(request.form.get("next"), url_for("bans.index")), code=303)


@bp.post("/<int:ban_id>/lift")
def lift(ban_id: int) -> ResponseReturnValue:
    if not ActionForm().validate():
        raise InvalidInput({"form": [_("Your form expired; reload and try again.")]})
    ban_service.lift_ban(moderator=current_moderator(), ban_id=ban_id)
    flash(_("Ban #%(id)d is lifted.", id=ban_id), "success")
    return redirect(url_for("bans.index"), code=303)
