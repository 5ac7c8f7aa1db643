"""First run in production: /setup names the site and makes the first admin, then is gone."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint
from flask import Flask
from flask import abort
from flask import current_app
from flask import flash
from flask import make_response
from flask import redirect
from flask import render_template
from flask import session
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.extensions import limiter
from forum.i18n import _
from forum.security import oidc
from forum.security import signin_flow
from forum.services import setup as setup_service
from forum.services.setup import SetupResult
from forum.services.setup import SiteChoices
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.setup import gate
from forum.web.setup.forms import SetupForm
from forum.web.signin import start_session
from forum.web.verification import external_url

bp = Blueprint("setup", __name__, url_prefix="/setup")
CHOICES_KEY = "setup_choices"  # the site's choices, kept while the owner signs in elsewhere


def _login_limit() -> str:
    return str(current_app.config["LOGIN_RATE_LIMIT"])


def _require_open() -> None:
    """404 once set up (and outside production); 403 away from the site's own address."""
    if current_app.config["ENV"] != "production":
        abort(404)
    if not gate.setup_pending():
        raise setup_service.AlreadySetUp
    if not gate.at_site_address():
        page = render_template("setup/wrong_address.html", site_url=current_app.config["SITE_URL"])
        abort(make_response(page, 403))


def _page(form: SetupForm, status: int = 200, guess_zone: bool = False) -> ResponseReturnValue:
    """The form; `guess_zone` lets the script preselect the browser's zone on a fresh form."""
    page = render_template(
        "setup/show.html", form=form, providers=oidc.providers(), guess_zone=guess_zone
    )
    return page, status


@bp.get("")
def show() -> ResponseReturnValue:
    _require_open()
    kept = session.get(CHOICES_KEY) or {}  # back from a provider sign-in that failed
    form = SetupForm(
        formdata=None,
        site_name=kept.get("site_name", ""),
        time_zone=kept.get("time_zone", "UTC"),
        start="demo" if kept.get("with_demo") else "empty",
    )
    return _page(form, guess_zone=not kept)


@bp.post("")
@limiter.limit(_login_limit)
def create() -> ResponseReturnValue:
    _require_open()
    form = SetupForm()
    try:
        valid = form.validate()
        choices = _site_choices(form, valid)
        result = setup_service.complete_with_password(
            choices=choices,
            display_name=value(form.display_name),
            email=value(form.email),
            password=value(form.password),
            min_length=current_app.config["PASSWORD_MIN_LENGTH"],
        )
    except InvalidInput as error:
        apply_errors(form, error)
        return _page(form, 400)
    return _finish(result, via="password")


@bp.post("/provider/<name>")
@limiter.limit(_login_limit)
def provider_start(name: str) -> ResponseReturnValue:
    """Keep the site's choices in the session, then off to the provider to sign in."""
    _require_open()
    provider = oidc.provider(name)
    if provider is None:
        abort(404, _("That sign-in provider is not set up on this site."))
    form = SetupForm()
    try:
        choices = _site_choices(form, form.validate_site())
    except InvalidInput as error:
        apply_errors(form, error)
        return _page(form, 400)
    session[CHOICES_KEY] = asdict(choices)
    callback = external_url("accounts.provider_callback", name=name)
    try:
        return signin_flow.begin(provider, callback)
    except signin_flow.SignInFailed:
        return _provider_failed(name)


def finish_with_provider(name: str) -> ResponseReturnValue:
    """The provider's callback while setup is pending: whoever signed in becomes the admin."""
    _require_open()
    provider = oidc.provider(name)
    stored = session.get(CHOICES_KEY)
    if provider is None or not stored:
        flash(_("Fill in the setup form first, then sign in."), "error")
        return redirect(url_for("setup.show"), code=303)
    try:
        profile = signin_flow.complete(provider)
    except signin_flow.SignInFailed:
        return _provider_failed(name)
    result = setup_service.complete_with_identity(choices=SiteChoices(**stored), profile=profile)
    return _finish(result, via=name)


def _site_choices(form: SetupForm, fields_valid: bool) -> SiteChoices:
    """The site's choices, or every problem with them (and with the form) at once."""
    choices = form.choices()
    errors = setup_service.check_choices(choices)
    if errors or not fields_valid:
        raise InvalidInput({name: msgs for name, msgs in errors.items() if not form[name].errors})
    return choices


def _provider_failed(name: str) -> ResponseReturnValue:
    provider = oidc.provider(name)
    page = render_template(
        "accounts/failed.html", provider=provider, retry_url=url_for("setup.show")
    )
    return page, 400


def _finish(result: SetupResult, via: str) -> ResponseReturnValue:
    """Sign the new admin in (a fresh session drops the kept choices) and show the site."""
    start_session(result.admin, via)
    name = result.admin.display_name
    if result.demo_summary:
        message = _(
            "Welcome, %(name)s: the site is set up and you are its admin. "
            "Demo content loaded: %(summary)s.",
            name=name,
            summary=result.demo_summary,
        )
    else:
        message = _("Welcome, %(name)s: the site is set up and you are its admin.", name=name)
    flash(message, "success")
    if result.demo_problem:
        flash(
            _("The demo content was not loaded: %(problem)s", problem=result.demo_problem),
            "error",
        )
    return redirect(url_for("threads.index"), code=303)


def register(app: Flask) -> None:
    gate.register(app, finish_with_provider)
