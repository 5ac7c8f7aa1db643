"""Forgotten passwords and email confirmation, both through signed links sent by email."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.extensions import db
from forum.extensions import limiter
from forum.i18n import _
from forum.models import User
from forum.security.tokens import TokenInvalid
from forum.security.tokens import read_token
from forum.services import accounts
from forum.web.account_forms import ActionForm
from forum.web.account_forms import NewPasswordForm
from forum.web.account_forms import ResetRequestForm
from forum.web.actor import signed_in_user
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.signin import start_session
from forum.web.verification import GUEST_EMAIL_PURPOSE
from forum.web.verification import RESET_PURPOSE
from forum.web.verification import VERIFY_PURPOSE
from forum.web.verification import password_fingerprint
from forum.web.verification import send_password_reset
from forum.web.verification import send_verification

bp = Blueprint("passwords", __name__, url_prefix="/account")


def _reset_limit() -> str:
    return str(current_app.config["RESET_RATE_LIMIT"])


@bp.route("/reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def request_reset() -> ResponseReturnValue:
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template(
            "passwords/request.html", form=form
        ), 400 if form.is_submitted() else 200
    user = accounts.find_by_email(value(form.email))
    if user is not None:
        send_password_reset(user)
    # The same answer either way, so the form cannot be used to find out who has an account.
    return render_template("passwords/sent.html", email=form.email.data)


def _user_for_reset(token: str) -> User:
    payload = read_token(RESET_PURPOSE, token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = db.session.get(User, payload.get("uid"))
    if user is None or payload.get("fp") != password_fingerprint(user):
        raise TokenInvalid(_("This link has already been used. Ask for a new one if you need it."))
    return user


@bp.route("/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
def reset(token: str) -> ResponseReturnValue:
    try:
        user = _user_for_reset(token)
    except TokenInvalid as error:
        return render_template("passwords/invalid.html", message=error.message), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            min_length = current_app.config["PASSWORD_MIN_LENGTH"]
            accounts.set_password(
                user=user, password=value(form.password), min_length=min_length, via_email=True
            )
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            start_session(user, via="password")
            flash(_("Your new password is set, and you are signed in."), "success")
            return redirect(url_for("threads.index"), code=303)
    status = 400 if form.is_submitted() else 200
    return render_template("passwords/reset.html", form=form, user=user), status


@bp.route("/verify/<token>", methods=["GET", "POST"])
def verify(token: str) -> ResponseReturnValue:
    """GET asks for a click, so mail scanners that fetch links confirm nothing by themselves."""
    try:
        payload = read_token(VERIFY_PURPOSE, token, current_app.config["VERIFY_TOKEN_MAX_AGE"])
    except TokenInvalid as error:
        return render_template("passwords/invalid.html", message=error.message), 400
    form = ActionForm()
    if not form.validate_on_submit():
        return render_template("passwords/verify.html", form=form, email=payload.get("email"))
    user = accounts.mark_email_verified(user_id=int(payload["uid"]), email=str(payload["email"]))
    flash(_("Thank you: %(email)s is confirmed.", email=user.email), "success")
    return redirect(url_for("threads.index"), code=303)


@bp.post("/verify")
@limiter.limit(_reset_limit)
def resend_verification() -> ResponseReturnValue:
    user = signed_in_user()
    if user is None or not ActionForm().validate():
        abort(400, _("Sign in first, then ask for a new confirmation link."))
    send_verification(user)
    flash(_("We sent a new confirmation link to %(email)s.", email=user.email), "success")
    return redirect(url_for("settings.show"), code=303)


@bp.route("/confirm-email/<token>", methods=["GET", "POST"])
def confirm_guest_email(token: str) -> ResponseReturnValue:
    """A guest confirms their address: GET asks for the click, POST records it."""
    try:
        payload = read_token(GUEST_EMAIL_PURPOSE, token, current_app.config["VERIFY_TOKEN_MAX_AGE"])
    except TokenInvalid as error:
        return render_template("passwords/invalid.html", message=error.message), 400
    form = ActionForm()
    email = str(payload.get("email", ""))
    if not form.validate_on_submit():
        return render_template("passwords/verify.html", form=form, email=email)
    accounts.confirm_guest_email(email)
    flash(_("Thank you: %(email)s is confirmed.", email=email), "success")
    return redirect(url_for("threads.index"), code=303)
