"""Mail pages: one-click unsubscribe (RFC 8058), and subscriptions in account settings.

Also triggers the mail worker after any request whose transaction queued mail, so no request
waits for SMTP: with a worker running, the trigger is only a queue push.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from forum.errors import InvalidInput
from forum.extensions import csrf
from forum.extensions import db
from forum.i18n import _
from forum.models import Delivery
from forum.models import User
from forum.security.tokens import TokenInvalid
from forum.services import categories
from forum.services.mail import subscriptions
from forum.services.mail.outbox import KICK
from forum.web.account_forms import ActionForm
from forum.web.actor import signed_in_user
from forum.web.forms import apply_errors
from forum.web.mail import bounces
from forum.web.mail.forms import ModeForm
from forum.web.mail.forms import PostsSubscriptionForm
from forum.web.mail.forms import PreferenceForm
from forum.web.mail.presenters import describe
from forum.web.mail.presenters import parse_target
from forum.web.mail.presenters import target_choices

bp = Blueprint("mail", __name__, url_prefix="/mail")
SETTINGS_ANCHOR = "mail-heading"


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.register_blueprint(bounces.bp)
    app.after_request(_trigger_mail)
    app.context_processor(lambda: {"mail_settings": mail_settings})


def _trigger_mail(response: Response) -> Response:
    """Mail queued in this request's transactions goes to the worker once the request is done."""
    if db.session.info.pop(KICK, False):
        from forum.mail.tasks import trigger

        trigger()
    return response


def _me() -> User:
    user = signed_in_user()
    assert user is not None  # nosec B101  # login_required ran first
    return user


def posts_form(user: User) -> PostsSubscriptionForm:
    form = PostsSubscriptionForm()
    form.target.choices = target_choices(categories.ordered(), subscriptions.series_names())
    return form


def mail_settings(user: User) -> dict[str, Any]:
    """What the settings page's Email notifications section shows (templates/mail/_settings)."""
    rows = subscriptions.for_user(user)
    return {
        "rows": [
            (row, describe(row), ModeForm(formdata=None, mode=row.mode.value)) for row in rows
        ],
        "preference": PreferenceForm(
            formdata=None, notify_replies=subscriptions.notify_replies_default(user)
        ),
        "posts_form": posts_form(user),
        "action": ActionForm(formdata=None),
    }


def _back() -> ResponseReturnValue:
    return redirect(url_for("settings.show", _anchor=SETTINGS_ANCHOR), code=303)


@bp.get("/unsubscribe/<token>")
def unsubscribe_page(token: str) -> ResponseReturnValue:
    """GET only asks: mail scanners that fetch links must not unsubscribe anyone."""
    try:
        found = subscriptions.read_unsubscribe(token)
    except TokenInvalid as error:
        return render_template("mail/unsubscribe_invalid.html", message=error.message), 400
    what = describe(found.subscription) if found.subscription else None
    return render_template("mail/unsubscribe.html", token=token, found=found, what=what)


@bp.post("/unsubscribe/<token>")
@csrf.exempt  # RFC 8058 one-click: the mail client POSTs with only the signed link
def unsubscribe(token: str) -> ResponseReturnValue:
    return _unsubscribed(token, everything=False)


@bp.post("/unsubscribe/<token>/all")
@csrf.exempt
def unsubscribe_all(token: str) -> ResponseReturnValue:
    return _unsubscribed(token, everything=True)


def _unsubscribed(token: str, *, everything: bool) -> ResponseReturnValue:
    try:
        what = subscriptions.read_unsubscribe(token).subscription
        described = describe(what) if what else None
        found = subscriptions.unsubscribe(token, everything=everything)
    except TokenInvalid as error:
        return render_template("mail/unsubscribe_invalid.html", message=error.message), 400
    return render_template(
        "mail/unsubscribed.html", token=token, found=found, what=described, everything=everything
    )


@bp.post("/unsubscribe/<token>/daily")
@csrf.exempt  # the signed link is the authority, as for unsubscribing
def daily_instead(token: str) -> ResponseReturnValue:
    try:
        found = subscriptions.daily_instead(token)
    except TokenInvalid as error:
        return render_template("mail/unsubscribe_invalid.html", message=error.message), 400
    what = describe(found.subscription) if found.subscription else None
    return render_template("mail/daily_instead.html", found=found, what=what)


@bp.post("/subscriptions/<int:subscription_id>/end")
@login_required
def end(subscription_id: int) -> ResponseReturnValue:
    if not ActionForm().validate():
        abort(400, _("Your form expired; reload the page and try again."))
    subscriptions.end(user=_me(), subscription_id=subscription_id)
    flash(_("That subscription is ended: no more mail about it."), "success")
    return _back()


@bp.post("/subscriptions/<int:subscription_id>/mode")
@login_required
def mode(subscription_id: int) -> ResponseReturnValue:
    form = ModeForm()
    if not form.validate():
        abort(400, _("Choose each reply or a daily digest."))
    chosen = Delivery(form.mode.data)
    subscriptions.set_mode(user=_me(), subscription_id=subscription_id, mode=chosen)
    flash(
        _("Saved: a daily digest.") if chosen is Delivery.DAILY else _("Saved: a mail per reply."),
        "success",
    )
    return _back()


@bp.post("/preferences")
@login_required
def preferences() -> ResponseReturnValue:
    form = PreferenceForm()
    if not form.validate():
        abort(400, _("Your form expired; reload the page and try again."))
    subscriptions.set_notify_replies_default(user=_me(), on=bool(form.notify_replies.data))
    flash(_("Your notification default is saved."), "success")
    return _back()


@bp.post("/subscriptions")
@login_required
def subscribe_posts() -> ResponseReturnValue:
    user = _me()
    form = posts_form(user)
    try:
        if not form.validate():
            raise InvalidInput({"target": [_("Choose what to hear about.")]})
        category_id, series = parse_target(str(form.target.data))
        subscriptions.subscribe_to_posts(
            user=user, category_id=category_id, series_name=series, mode=Delivery(form.mode.data)
        )
    except InvalidInput as error:  # the choices are a select: only a stale or forged form
        apply_errors(form, error)
        abort(400, " ".join(form.target.errors) or _("Choose what to hear about."))
    flash(_("Subscribed: we will mail you about new posts."), "success")
    return _back()
