"""Signing in and out: local accounts and outside providers (OAuth 2 / OpenID Connect)."""

from __future__ import annotations

import logging

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import DomainError
from forum.errors import InvalidInput
from forum.extensions import limiter
from forum.i18n import _
from forum.models import User
from forum.security import oidc
from forum.security import signin_flow
from forum.security.oidc import ExternalProfile
from forum.services import accounts
from forum.web.account_forms import ActionForm
from forum.web.account_forms import SignInForm
from forum.web.account_forms import SignUpForm
from forum.web.actor import signed_in_user
from forum.web.caching.origin import tokenless_when_same_origin
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.signin import PENDING_LINK_KEY
from forum.web.signin import end_session
from forum.web.signin import safe_next
from forum.web.signin import start_session
from forum.web.verification import external_url

bp = Blueprint("accounts", __name__, url_prefix="/account")
log = logging.getLogger(__name__)
LINK_INTENT_KEY = "link_intent"


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _signup_limit() -> str:
    return str(current_app.config["SIGNUP_RATE_LIMIT"])


def _next_url() -> str:
    return safe_next(request.values.get("next"), url_for("threads.index"))


@bp.get("/login")
def login() -> ResponseReturnValue:
    form = SignInForm(formdata=None, next=_next_url())
    return render_template("accounts/login.html", form=form, providers=oidc.providers())


@bp.post("/login")
@limiter.limit(_login_limit)
def login_with_password() -> ResponseReturnValue:
    form = SignInForm()
    try:
        if not form.validate():
            raise InvalidInput({})
        user = accounts.authenticate(email=value(form.email), password=value(form.password))
    except InvalidInput as error:
        apply_errors(form, error)
        return render_template("accounts/login.html", form=form, providers=oidc.providers()), 400
    return _signed_in(user, via="password", next_url=_next_url())


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
def signup() -> ResponseReturnValue:
    form = SignUpForm(next=_next_url())
    if not form.validate_on_submit():
        return render_template(
            "accounts/signup.html", form=form
        ), 400 if form.is_submitted() else 200
    try:
        user = accounts.register_local(
            email=value(form.email),
            display_name=value(form.display_name),
            password=value(form.password),
            min_length=current_app.config["PASSWORD_MIN_LENGTH"],
        )
    except InvalidInput as error:
        apply_errors(form, error)
        return render_template("accounts/signup.html", form=form), 400
    flash(
        _("Welcome! We sent a link to %(email)s to confirm your address.", email=user.email),
        "success",
    )
    return _signed_in(user, via="password", next_url=_next_url())


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    if not ActionForm().validate():
        abort(400, _("Your form expired; reload the page and try again."))
    end_session()
    flash(_("You are signed out."), "success")
    return redirect(_next_url(), code=303)


@bp.post("/login/<name>")
@tokenless_when_same_origin  # the sign-in buttons are on cached thread pages
@limiter.limit(_login_limit)
def provider_start(name: str) -> ResponseReturnValue:
    """Off to the provider; `next` and whether this links or signs in wait in the session."""
    provider = oidc.provider(name)
    if provider is None:
        abort(404, _("That sign-in provider is not set up on this site."))
    if not ActionForm().validate():
        abort(400, _("Your form expired; reload the page and try again."))
    session["login_next"] = _next_url()
    session[LINK_INTENT_KEY] = request.form.get("intent") == "link" and signed_in_user() is not None
    try:
        return signin_flow.begin(provider, _callback_url(name))
    except signin_flow.SignInFailed:
        return render_template("accounts/failed.html", provider=provider), 502


@bp.get("/login/<name>/callback")
@limiter.limit(_login_limit)
def provider_callback(name: str) -> ResponseReturnValue:
    provider = oidc.provider(name)
    if provider is None:
        abort(404, _("That sign-in provider is not set up on this site."))
    try:
        profile = signin_flow.complete(provider)
    except signin_flow.SignInFailed:
        return render_template("accounts/failed.html", provider=provider), 400
    next_url = safe_next(session.pop("login_next", None), url_for("threads.index"))
    if session.pop(LINK_INTENT_KEY, False) and (user := signed_in_user()) is not None:
        return _link(user, profile, next_url)
    outcome = accounts.sign_in_with_identity(profile)
    if outcome.needs_proof_for is not None:
        session[PENDING_LINK_KEY] = profile.__dict__
        return redirect(url_for("accounts.link_confirm", next=next_url), code=303)
    assert outcome.user is not None  # nosec B101  # narrowing: no pending link, so a user
    return _signed_in(outcome.user, via=name, next_url=next_url)


@bp.get("/link")
def link_confirm() -> ResponseReturnValue:
    """A provider sign-in matched an existing account's email: its owner must sign in first."""
    pending = session.get(PENDING_LINK_KEY)
    if not pending:
        return redirect(url_for("accounts.login"), code=303)
    form = SignInForm(formdata=None, email=pending["email"], next=_next_url())
    provider = oidc.provider(pending["provider"])
    return render_template(
        "accounts/link_confirm.html",
        form=form,
        pending=pending,
        provider=provider,
        providers=oidc.providers(),
    )


def _link(user: User, profile: ExternalProfile, next_url: str) -> ResponseReturnValue:
    try:
        accounts.link_identity(user=user, profile=profile)
    except DomainError as error:
        flash(error.message, "error")
        return redirect(url_for("settings.show"), code=303)
    flash(
        _("%(provider)s is now linked to your account.", provider=_label(profile.provider)),
        "success",
    )
    return redirect(next_url, code=303)


def _signed_in(user: User, via: str, next_url: str) -> ResponseReturnValue:
    """Start the session, then finish a pending link if this account owns its verified email."""
    start_session(user, via)
    pending = session.pop(PENDING_LINK_KEY, None)
    if pending and pending.get("email") == user.email:
        return _link(user, ExternalProfile(**pending), next_url)
    flash(_("Signed in as %(name)s.", name=user.display_name), "success")
    return redirect(next_url, code=303)


def _callback_url(name: str) -> str:
    return external_url("accounts.provider_callback", name=name)


def _label(name: str) -> str:
    provider = oidc.provider(name)
    return provider.label if provider else name
