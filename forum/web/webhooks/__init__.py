"""Admin page "Webhooks": register endpoints, see their secret and last deliveries, ping them.

Also triggers the webhook sender after any request whose transaction queued deliveries.
"""

from __future__ import annotations

from flask import Blueprint
from flask import Flask
from flask import Response
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.extensions import db
from forum.i18n import _
from forum.services.webhooks import endpoints
from forum.services.webhooks.events import KICK
from forum.web.forms import apply_errors
from forum.web.staff import current_moderator
from forum.web.staff import guard
from forum.web.webhooks.forms import ActionForm
from forum.web.webhooks.forms import WebhookForm

bp = Blueprint("webhooks", __name__, url_prefix="/mod/settings/webhooks")
guard(bp, admin_only=True)


def register(app: Flask) -> None:
    app.register_blueprint(bp)
    app.after_request(_trigger_webhooks)


def _trigger_webhooks(response: Response) -> Response:
    """Deliveries queued in this request's transactions go to the worker once it is done."""
    if db.session.info.pop(KICK, False):
        from forum.services.webhooks.tasks import trigger

        trigger()
    return response


def _index(form: WebhookForm, status: int = 200) -> ResponseReturnValue:
    hooks = endpoints.all_webhooks()
    page = render_template("webhooks/index.html", form=form, hooks=hooks, action=ActionForm())
    return page, status


@bp.get("")
def index() -> ResponseReturnValue:
    return _index(WebhookForm(formdata=None))


@bp.post("")
def create() -> ResponseReturnValue:
    form = WebhookForm()
    if not form.validate_on_submit():
        return _index(form, 400)
    try:
        hook = endpoints.register(
            admin=current_moderator(), url=form.url.data or "", chosen=form.events.data or []
        )
    except InvalidInput as error:
        apply_errors(form, error)
        return _index(form, 400)
    flash(_("Webhook added. Configure its secret on the receiver to verify deliveries."), "success")
    return redirect(url_for("webhooks.show", webhook_id=hook.id), 303)


@bp.get("/<int:webhook_id>")
def show(webhook_id: int) -> ResponseReturnValue:
    hook = endpoints.get(webhook_id)
    deliveries = endpoints.recent_deliveries(hook.id)
    return render_template(
        "webhooks/show.html", hook=hook, deliveries=deliveries, action=ActionForm()
    )


@bp.post("/<int:webhook_id>/ping")
def ping(webhook_id: int) -> ResponseReturnValue:
    endpoints.ping(admin=current_moderator(), webhook_id=webhook_id)
    flash(_("Test ping queued. Its answer appears under Last deliveries."), "success")
    return redirect(url_for("webhooks.show", webhook_id=webhook_id), 303)


@bp.post("/<int:webhook_id>/delete")
def delete(webhook_id: int) -> ResponseReturnValue:
    endpoints.remove(admin=current_moderator(), webhook_id=webhook_id)
    flash(_("Webhook deleted."), "success")
    return redirect(url_for("webhooks.index"), 303)
