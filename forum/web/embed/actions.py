"""Liking and reporting replies inside the frame, for readers signed in to the widget.

Guests are asked to sign in to like: their frame token lasts only as long as the frame, so it
cannot count one like per person. Guests report on Porch's own report page (a first-party
window, where their browser token lasts), for the same reason.
"""

from __future__ import annotations

from flask import current_app
from flask import redirect
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.extensions import limiter
from forum.i18n import _
from forum.models import Reply
from forum.security.actor import Actor
from forum.services import liking
from forum.services.moderation import flags
from forum.web.actor import signed_in_user
from forum.web.caching.origin import tokenless_when_same_origin
from forum.web.embed import frame
from forum.web.embed import session
from forum.web.embed.blueprint import bp
from forum.web.embed.page import allowed
from forum.web.embed.page import page_from
from forum.web.embed.page import refused
from forum.web.embed.page import thread_url
from forum.web.forms import LikeForm
from forum.web.forms import ReportForm
from forum.web.forms import apply_errors
from forum.web.forms import value


def _like_rate_limit() -> str:
    return str(current_app.config["LIKE_RATE_LIMIT"])


def _report_rate_limit() -> str:
    return str(current_app.config["REPORT_RATE_LIMIT"])


@bp.post("/embed/replies/<int:reply_id>/like")
@tokenless_when_same_origin
@limiter.limit(_like_rate_limit)
def like(reply_id: int) -> ResponseReturnValue:
    page = page_from(request.form, prefix="page_")
    token = frame.frame_token(request.form.get("frame"))
    if not allowed(page):
        return refused(page)
    if signed_in_user() is None:
        return redirect(thread_url(page, token, f"c{reply_id}", notice="sign-in-to-like"), 303)
    form = LikeForm(meta={"csrf": False})
    if not form.validate():
        raise InvalidInput({"liked": [_("liked must be 0 or 1.")]})
    liking.set_like(actor=_actor(token), reply_id=reply_id, liked=form.liked.data == "1")
    return redirect(thread_url(page, token, anchor=f"c{reply_id}"), code=303)


@bp.get("/embed/replies/<int:reply_id>/report")
def report(reply_id: int) -> ResponseReturnValue:
    """The report form in the frame (signed-in readers; guests get Porch's own page)."""
    page = page_from(request.args)
    token = frame.frame_token(request.args.get("frame"))
    if not allowed(page):
        return refused(page)
    reply = flags.reportable_reply(actor=_actor(token), reply_id=reply_id)
    return _report_form(page, token, reply, ReportForm(formdata=None, meta={"csrf": False}))


@bp.post("/embed/replies/<int:reply_id>/report")
@tokenless_when_same_origin
@limiter.limit(_report_rate_limit)
def send_report(reply_id: int) -> ResponseReturnValue:
    page = page_from(request.form, prefix="page_")
    token = frame.frame_token(request.form.get("frame"))
    if not allowed(page):
        return refused(page)
    actor = _actor(token)
    form = ReportForm(meta={"csrf": False})
    if actor.user is None or not form.validate():
        reply = flags.reportable_reply(actor=actor, reply_id=reply_id)
        return _report_form(page, token, reply, form, 400)
    try:
        flags.flag_reply(
            actor=actor, reply_id=reply_id, reason=form.flag_reason, note=value(form.note)
        )
    except InvalidInput as error:
        apply_errors(form, error)
        reply = flags.reportable_reply(actor=actor, reply_id=reply_id)
        return _report_form(page, token, reply, form, 400)
    return redirect(thread_url(page, token, f"c{reply_id}", notice="reported"), code=303)


def _actor(token: str) -> Actor:
    return frame.frame_actor(token)


def _report_form(
    page: dict[str, str], token: str, reply: Reply, form: ReportForm, status: int = 200
) -> ResponseReturnValue:
    return render_template(
        "embed/report.html",
        page=page,
        reply=reply,
        form=form,
        frame=frame.sign(token),
        embed_csrf=session.csrf_token(),
        back=thread_url(page, token, anchor=f"c{reply.id}"),
        query={**page, "frame": frame.sign(token)},
        signed_in=signed_in_user() is not None,
    ), status
