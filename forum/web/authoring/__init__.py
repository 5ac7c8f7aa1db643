"""Authors edit and delete their own replies: pages that work without JavaScript."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import DomainError
from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import wants_json
from forum.i18n import _
from forum.models import Reply
from forum.models import ReplyStatus
from forum.services import authoring
from forum.services import placement
from forum.services.authoring import Deletion
from forum.web.actor import current_actor
from forum.web.authoring.forms import DeleteOwnReplyForm
from forum.web.authoring.forms import EditOwnReplyForm
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.presenters import render_nodes
from forum.web.presenters import reply_anchor_url

bp = Blueprint("authoring", __name__)


@bp.get("/replies/<int:reply_id>/edit")
def edit(reply_id: int) -> ResponseReturnValue:
    reply = authoring.reply_to_edit(actor=current_actor(), reply_id=reply_id)
    if wants_json():  # porch.js edits in place: it needs only the text
        return jsonify(body=reply.body_source)
    form = EditOwnReplyForm(formdata=None, body=reply.body_source)
    return _edit_page(reply, form, 200)


@bp.post("/replies/<int:reply_id>/edit")
def update(reply_id: int) -> ResponseReturnValue:
    actor = current_actor()
    reply = authoring.visible_reply(actor=actor, reply_id=reply_id)
    form = EditOwnReplyForm()
    try:
        authoring.reply_to_edit(actor=actor, reply_id=reply_id)
        if not form.validate():
            return _edit_page(reply, form, 400)
        authoring.edit_own_reply(actor=actor, reply_id=reply_id, body=value(form.body))
    except InvalidInput as error:
        apply_errors(form, error)
        return _edit_page(reply, form, 400)
    except Forbidden as error:  # the window closed while they typed: keep their text to copy
        return _edit_page(reply, form, 403, refusal=error.message)
    except DomainError as error:
        form.form_errors.append(error.message)
        return _edit_page(reply, form, error.status_code)
    return _edited(reply)


@bp.get("/replies/<int:reply_id>/delete")
def confirm_delete(reply_id: int) -> ResponseReturnValue:
    reply = authoring.reply_to_delete(actor=current_actor(), reply_id=reply_id)
    return render_template("authoring/delete.html", reply=reply, form=DeleteOwnReplyForm())


@bp.post("/replies/<int:reply_id>/delete")
def delete(reply_id: int) -> ResponseReturnValue:
    actor = current_actor()
    reply = authoring.reply_to_delete(actor=actor, reply_id=reply_id)
    parent, slug = reply.parent, reply.post.slug
    outcome = authoring.delete_own_reply(actor=actor, reply_id=reply_id)
    if outcome is Deletion.PLACEHOLDER:
        flash(_("Your reply is deleted. A note keeps its place, as others answered it."), "success")
        return redirect(_anchor(reply), code=303)
    flash(_("Your reply is deleted."), "success")
    if parent is not None:
        return redirect(_anchor(parent), code=303)
    return redirect(url_for("threads.show", slug=slug, _anchor="replies"), code=303)


def _edit_page(
    reply: Reply, form: EditOwnReplyForm, status: int, refusal: str | None = None
) -> ResponseReturnValue:
    """The edit page again, with the text as typed and what went wrong (JSON for porch.js)."""
    if wants_json():
        errors = {name: list(messages) for name, messages in form.errors.items() if name}
        message = refusal or " ".join(form.form_errors) or _("Please correct the text.")
        return jsonify(error=message, errors=errors or None), status
    deadline = authoring.edit_deadline(current_actor(), reply)
    page = render_template(
        "authoring/edit.html", reply=reply, form=form, refusal=refusal, deadline=deadline
    )
    return page, status


def _edited(reply: Reply) -> ResponseReturnValue:
    """Back to the reply; for porch.js, the reply as the thread now shows it."""
    if not wants_json():
        flash(_saved_message(reply), "success")
        return redirect(_anchor(reply), code=303)
    node = placement.node_for_new_reply(reply, current_actor(), current_app.config["MAX_DEPTH"])
    html = render_nodes([node], post=reply.post)
    return jsonify(html=html, status=reply.status.value, message=_("Your edit is saved."))


def _saved_message(reply: Reply) -> str:
    if reply.status is not ReplyStatus.APPROVED:
        return _("Your edit is saved. It awaits moderation: only you can see the reply for now.")
    return _("Your edit is saved.")


def _anchor(reply: Reply) -> str:
    """The thread page showing this reply, scrolled to it."""
    per_page = current_app.config["REPLIES_PER_PAGE"]
    return reply_anchor_url(reply, placement.page_of_reply(reply, current_actor(), per_page))


def _edit_window() -> timedelta:
    """Read the setting once per request, and only for a page showing the viewer's replies."""
    if "edit_window" not in g:
        g.edit_window = authoring.edit_window()
    window: timedelta = g.edit_window
    return window


@bp.app_template_global()
def may_edit_reply(reply: Reply) -> bool:
    return authoring.may_edit(current_actor(), reply, _edit_window)


@bp.app_template_global()
def may_delete_reply(reply: Reply) -> bool:
    return authoring.may_delete(current_actor(), reply, _edit_window)
