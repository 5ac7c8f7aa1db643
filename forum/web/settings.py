"""A member's own settings: profile, picture, linked sign-ins, their data, deleting the account."""

from __future__ import annotations

import json

from flask import Blueprint
from flask import Response
from flask import abort
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required

from forum.errors import InvalidInput
from forum.i18n import _
from forum.i18n import in_language
from forum.i18n import ngettext
from forum.i18n import select_locale
from forum.models import User
from forum.security import oidc
from forum.services import accounts
from forum.services import profiles
from forum.web.account_forms import ActionForm
from forum.web.account_forms import DeleteAccountForm
from forum.web.account_forms import LanguageForm
from forum.web.account_forms import SettingsForm
from forum.web.actor import signed_in_user
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.signin import end_session

bp = Blueprint("settings", __name__, url_prefix="/account/settings")


def _me() -> User:
    user = signed_in_user()
    assert user is not None  # nosec B101  # login_required ran first
    return user


def _settings_form(user: User) -> SettingsForm:
    form = SettingsForm(obj=user)
    choices = [(profiles.GENERATED_AVATAR, _("Generated picture (no outside requests)"))]
    choices += [
        (str(i.id), _("Picture from %(provider)s", provider=_label(i.provider)))
        for i in user.identities
        if i.picture_url
    ]
    form.avatar.choices = choices
    if form.avatar.data is None:
        shown = [
            str(i.id) for i in user.identities if i.picture_url and i.picture_url == user.avatar_url
        ]
        form.avatar.data = shown[0] if shown else profiles.GENERATED_AVATAR
    return form


def _page(
    user: User,
    form: SettingsForm,
    status: int = 200,
    delete_form: DeleteAccountForm | None = None,
    language_form: LanguageForm | None = None,
) -> ResponseReturnValue:
    linked = {i.provider for i in user.identities}
    page = render_template(
        "settings/show.html",
        user=user,
        form=form,
        action=ActionForm(formdata=None),
        delete_form=delete_form or DeleteAccountForm(formdata=None),
        language_form=language_form or LanguageForm(formdata=None, language=user.locale or ""),
        claimable=profiles.claimable_reply_count(user),
        unlinked=[p for p in oidc.providers() if p.name not in linked],
    )
    return page, status


@bp.route("", methods=["GET", "POST"])
@login_required
def show() -> ResponseReturnValue:
    user = _me()
    form = _settings_form(user)
    if not form.validate_on_submit():
        return _page(user, form, 400 if form.is_submitted() else 200)
    try:
        profiles.update_profile(
            user=user,
            display_name=value(form.display_name),
            bio=value(form.bio),
            avatar=value(form.avatar),
        )
    except InvalidInput as error:
        apply_errors(form, error)
        return _page(user, form, 400)
    flash(_("Your profile is saved."), "success")
    return redirect(url_for("settings.show"), code=303)


@bp.post("/language")
@login_required
def language() -> ResponseReturnValue:
    user = _me()
    form = LanguageForm()
    if not form.validate():
        return _page(user, _settings_form(user), 400, language_form=form)
    profiles.set_language(user=user, language=value(form.language) or None)
    with in_language(user.locale or select_locale()):  # already in the language chosen
        flash(_("Your language is saved."), "success")
    return redirect(url_for("settings.show"), code=303)


@bp.post("/identities/<int:identity_id>/unlink")
@login_required
def unlink(identity_id: int) -> ResponseReturnValue:
    if not ActionForm().validate():
        abort(400, _("Your form expired; reload the page and try again."))
    accounts.unlink_identity(user=_me(), identity_id=identity_id)
    flash(_("That sign-in is no longer linked."), "success")
    return redirect(url_for("settings.show"), code=303)


@bp.post("/claim")
@login_required
def claim() -> ResponseReturnValue:
    if not ActionForm().validate():
        abort(400, _("Your form expired; reload the page and try again."))
    count = profiles.claim_guest_replies(user=_me())
    flash(
        ngettext(
            "%(num)d reply is now part of your account.",
            "%(num)d replies are now part of your account.",
            count,
        ),
        "success",
    )
    return redirect(url_for("settings.show"), code=303)


@bp.get("/export.json")
@login_required
def export() -> Response:
    data = json.dumps(profiles.export_data(_me()), indent=2, ensure_ascii=False)
    response = Response(data, mimetype="application/json")
    response.headers["Content-Disposition"] = 'attachment; filename="my-porch-data.json"'
    return response


@bp.post("/delete")
@login_required
def delete() -> ResponseReturnValue:
    user = _me()
    form = DeleteAccountForm()
    if not form.validate():
        return _page(user, _settings_form(user), 400, delete_form=form)
    profiles.delete_account(user=user)
    end_session()
    flash(_("Your account is deleted. Your replies now show as by a deleted user."), "success")
    return redirect(url_for("threads.index"), code=303)


def _label(name: str) -> str:
    provider = oidc.provider(name)
    return provider.label if provider else name.title()
