"""Admin settings: moderation rules (with a backtest before saving), roles, and the site."""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import replace

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from forum.errors import InvalidInput
from forum.extensions import db
from forum.i18n import _
from forum.models import Role
from forum.models import User
from forum.services import site_settings
from forum.services.moderation import admin as admin_service
from forum.services.moderation.backtest import backtest
from forum.services.moderation.spam_refit import spam_filter_summary
from forum.services.site_settings import ModerationSettings
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.moderation_forms import AuthorForm
from forum.web.moderation_forms import RoleForm
from forum.web.moderation_forms import RulesForm
from forum.web.moderation_forms import SiteForm
from forum.web.staff import current_moderator
from forum.web.staff import guard

bp = Blueprint("admin", __name__, url_prefix="/mod/settings")
guard(bp, admin_only=True)
LIST_FIELDS = ("hold_keywords", "spam_keywords", "spam_emails", "spam_ips")


def _rules_form(rules: ModerationSettings) -> RulesForm:
    data = asdict(rules)
    for name in LIST_FIELDS:
        data[name] = "\n".join(data[name])
    return RulesForm(formdata=None, data=data)


def _rules_from(form: RulesForm) -> ModerationSettings:
    data = {name: value for name, value in form.data.items() if name != "csrf_token"}
    for name in LIST_FIELDS:
        data[name] = [line.strip() for line in (data[name] or "").splitlines() if line.strip()]
    stored = asdict(site_settings.moderation_settings())
    kept = {name: value for name, value in stored.items() if data.get(name) is None}
    return ModerationSettings(**{**data, **kept})  # not sent, or not on the form: as stored


@bp.get("/rules")
def rules() -> ResponseReturnValue:
    current = site_settings.moderation_settings()
    return render_template(
        "admin/rules.html",
        form=_rules_form(current),
        preview=None,
        filter=spam_filter_summary(current),
    )


@bp.post("/rules")
def save_rules() -> ResponseReturnValue:
    """ "Preview" shows the backtest of the submitted rules; "Save" stores them."""
    form = RulesForm()
    preview = None
    if form.validate():
        proposed = _rules_from(form)
        try:
            admin_service.check_rules(proposed)
            if request.form.get("submit") == "save":
                admin_service.update_rules(admin=current_moderator(), rules=proposed)
                flash(_("The rules are saved. New replies follow them from now on."), "success")
                return redirect(url_for("admin.rules"), code=303)
            preview = backtest(proposed)
        except InvalidInput as error:
            apply_errors(form, error)
    status = 200 if preview is not None else 400
    current = site_settings.moderation_settings()
    return render_template(
        "admin/rules.html", form=form, preview=preview, filter=spam_filter_summary(current)
    ), status


@bp.get("/roles")
def roles() -> ResponseReturnValue:
    members = db.session.scalars(select(User).order_by(User.role, User.display_name).limit(500))
    return render_template("admin/roles.html", users=list(members), form=RoleForm(formdata=None))


@bp.post("/roles/<int:user_id>")
def set_role(user_id: int) -> ResponseReturnValue:
    form = RoleForm()
    if not form.validate():
        raise InvalidInput({"role": [_("Choose admin, moderator or member.")]})
    user = admin_service.set_role(
        admin=current_moderator(), user_id=user_id, role=Role(value(form.role))
    )
    flash(_role_message(user.display_name, user.role), "success")
    return redirect(url_for("admin.roles"), code=303)


def _role_message(name: str, role: Role) -> str:
    if role is Role.ADMIN:
        return _("%(name)s is now an admin.", name=name)
    if role is Role.MODERATOR:
        return _("%(name)s is now a moderator.", name=name)
    return _("%(name)s is now a member.", name=name)


@bp.post("/roles/<int:user_id>/author")
def set_author(user_id: int) -> ResponseReturnValue:
    form = AuthorForm()
    if not form.validate():
        raise InvalidInput({"allowed": [_("Choose whether this member may write posts.")]})
    allowed = form.allowed.data == "1"
    user = admin_service.set_author(admin=current_moderator(), user_id=user_id, allowed=allowed)
    if allowed:
        message = _("%(name)s may now write posts at the desk.", name=user.display_name)
    else:
        message = _("%(name)s may no longer write posts.", name=user.display_name)
    flash(message, "success")
    return redirect(url_for("admin.roles", _anchor=f"user-{user.id}"), code=303)


@bp.route("/site", methods=["GET", "POST"])
def site() -> ResponseReturnValue:
    current = site_settings.site_settings()
    form = SiteForm(
        data={
            # Never saved (the admin was made on the command line): show the name the site uses,
            # so changing only the language does not stop at an empty required name.
            "site_name": current.site_name or current_app.config["SITE_NAME"],
            "time_zone": current.time_zone,
            "language": current.language,
        }
    )
    if form.validate_on_submit():
        chosen = replace(
            current,
            site_name=value(form.site_name),
            time_zone=value(form.time_zone) or current.time_zone,
            language=value(form.language) or current.language,
        )
        try:
            admin_service.update_site(admin=current_moderator(), site=chosen)
        except InvalidInput as error:
            apply_errors(form, error)
        else:
            flash(_("Site settings saved."), "success")
            return redirect(url_for("admin.site"), code=303)
    return render_template("admin/site.html", form=form), 400 if form.is_submitted() else 200
