"""The embed widget's pages: a page's thread in an iframe on another site, and comment counts.

The views live in this package's modules, all on one blueprint (`blueprint.bp`): the thread
and its reply form here, signing in and out in `signin`, likes and reports in `actions`.
"""

from __future__ import annotations

from flask import current_app
from flask import jsonify
from flask import redirect
from flask import request
from flask import send_from_directory
from flask.typing import ResponseReturnValue

from forum.errors import DomainError
from forum.errors import InvalidInput
from forum.extensions import limiter
from forum.i18n import ngettext
from forum.models import Reply
from forum.services import embed_threads
from forum.services.replying import GuestDetails
from forum.services.replying import post_reply
from forum.web.caching.origin import tokenless_when_same_origin
from forum.web.embed import actions as actions
from forum.web.embed import frame
from forum.web.embed import signin as signin
from forum.web.embed.blueprint import bp
from forum.web.embed.page import allowed
from forum.web.embed.page import page_from
from forum.web.embed.page import refused
from forum.web.embed.page import render_thread
from forum.web.embed.page import reply_to_arg
from forum.web.embed.page import thread_url
from forum.web.forms import ReplyForm
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.reply_form import prepare

__all__ = ["bp"]

MAX_COUNT_URLS = 50


def _form() -> ReplyForm:
    return prepare(ReplyForm(meta={"csrf": False}))


@bp.get("/embed.js")
def script() -> ResponseReturnValue:
    """The one file host pages load, at the address the README gives."""
    assert current_app.static_folder is not None  # nosec B101  # create_app always sets it
    return send_from_directory(current_app.static_folder, "embed.js", max_age=3600)


@bp.get("/embed/thread")
def thread() -> ResponseReturnValue:
    form = prepare(ReplyForm(formdata=None, meta={"csrf": False}))
    token = frame.frame_token(request.args.get("frame"))
    return render_thread(page_from(request.args), token, form, reply_to=reply_to_arg())


def _post_rate_limit() -> str:
    return str(current_app.config["POST_RATE_LIMIT"])


@bp.post("/embed/thread")
@tokenless_when_same_origin
@limiter.limit(_post_rate_limit)
def reply() -> ResponseReturnValue:
    page = page_from(request.form, prefix="page_")
    token = frame.frame_token(request.form.get("frame"))
    form = _form()
    if not allowed(page):
        return refused(page)
    if not form.validate():
        return render_thread(page, token, form, 400)
    try:
        reply = _post(page, token, form)
    except InvalidInput as error:
        apply_errors(form, error)
        return render_thread(page, token, form, 400)
    except DomainError as error:
        form.form_errors.append(error.message)
        return render_thread(page, token, form, error.status_code)
    return redirect(thread_url(page, token, anchor=f"c{reply.id}"), code=303)


def _post(page: dict[str, str], token: str, form: ReplyForm) -> Reply:
    guest = (
        GuestDetails(name=value(form.name), email=value(form.email), url=form.url.data or None)
        if form.for_guest
        else None
    )
    return post_reply(
        actor=frame.frame_actor(token),
        post=embed_threads.post_for_page(page["url"], page["title"]),
        parent_id=form.parent_reply_id,
        body=value(form.body),
        guest=guest,
        notify_author=bool(form.notify.data),
        subscribe=form.subscriptions(),
    )


@bp.get("/embed/counts")
def counts() -> ResponseReturnValue:
    """Reply counts for index pages of allowed sites: {"counts": {address: n}, "labels": ...}.

    The labels ("3 comments") are worded here, in the reader's language, not by embed.js.
    """
    allowed_origins = frame.allowed_origins()
    urls = [
        url
        for url in request.args.getlist("url")[:MAX_COUNT_URLS]
        if embed_threads.page_allowed(url, allowed_origins)
    ]
    found = embed_threads.reply_counts(urls)
    labels = {url: ngettext("%(num)d comment", "%(num)d comments", n) for url, n in found.items()}
    response = jsonify(counts=found, labels=labels)
    return frame.cors_headers(response)
