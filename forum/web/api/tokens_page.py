"""Account settings: create personal API tokens (the secret shown once) and revoke them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue
from flask_login import login_required
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import StringField

from forum.errors import InvalidInput
from forum.i18n import _
from forum.i18n import lazy_gettext
from forum.models import User
from forum.security.policies import can_moderate
from forum.services import api_tokens
from forum.web.account_forms import ActionForm
from forum.web.actor import signed_in_user
from forum.web.forms import apply_errors
from forum.web.forms import plain_text

bp = Blueprint("api_tokens", __name__, url_prefix="/account/settings/tokens")


class TokenForm(FlaskForm):
    name = StringField(lazy_gettext("Token name"), validators=[plain_text])
    read = BooleanField(lazy_gettext("Read"), default=True)
    write = BooleanField(lazy_gettext("Write (reply, edit, like, report)"))
    moderate = BooleanField(lazy_gettext("Moderate"))

    def scopes(self) -> list[str]:
        return [scope for scope in api_tokens.SCOPES if getattr(self, scope).data]


def token_settings(user: User) -> dict[str, Any]:
    """What the settings page's token section needs (included from settings/show.html)."""
    return {
        "form": TokenForm(formdata=None),
        "tokens": api_tokens.tokens_of(user),
        "action": ActionForm(formdata=None),
        "may_moderate": can_moderate(user),
    }


def _me() -> User:
    user = signed_in_user()
    assert user is not None  # nosec B101  # login_required ran first
    return user


@bp.post("")
@login_required
def create() -> ResponseReturnValue:
    form = TokenForm()
    user = _me()
    try:
        if not form.validate():
            raise InvalidInput({"name": [_("Your form expired; reload and try again.")]})
        made = api_tokens.create_token(user=user, name=form.name.data or "", scopes=form.scopes())
    except InvalidInput as error:
        apply_errors(form, error)
        return render_template(
            "api_tokens/page.html", form=form, may_moderate=can_moderate(user)
        ), 400
    page = render_template("api_tokens/page.html", made=made)
    return page, 201, {"Cache-Control": "no-store"}


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int) -> ResponseReturnValue:
    if not ActionForm().validate():
        raise InvalidInput({"form": [_("Your form expired; reload and try again.")]})
    api_tokens.revoke_token(user=_me(), token_id=token_id)
    flash(_("The token is revoked: scripts using it are refused from now on."), "success")
    return redirect(url_for("settings.show") + "#tokens-heading", code=303)
