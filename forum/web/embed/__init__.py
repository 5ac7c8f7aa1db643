"""The embed widget's pages: a page's thread in an iframe on another site, and comment counts."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import send_from_directory
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import DomainError
from forum.errors import InvalidInput
from forum.extensions import limiter
from forum.models import Reply
from forum.services import embed_threads
from forum.services import posts
from forum.services import threads
from forum.services.replying import GuestDetails
from forum.services.replying import post_reply
from forum.services.threads import SortOrder
from forum.web.caching.origin import tokenless_when_same_origin
from forum.web.embed import frame
from forum.web.forms import ReplyForm
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.reply_form import prepare

bp = Blueprint("embed", __name__)
bp.after_request(frame.frame_headers)

MAX_COUNT_URLS = 50


def _page(source: Mapping[str, str], prefix: str = "") -> dict[str, str]:
    """The host page's address, title and theme, as the frame keeps passing them along.

    The reply form names them page_*: its own `url` field is the guest's website.
    """
    theme = source.get(f"{prefix}theme", "light")
    return {
        "url": source.get(f"{prefix}url", "").strip(),
        "title": source.get(f"{prefix}title", "").strip()[:300],
        "theme": theme if theme in ("light", "dark") else "light",
    }


def _render(
    page: dict[str, str], token: str, form: ReplyForm, status: int = 200
) -> ResponseReturnValue:
    if not embed_threads.page_allowed(page["url"], frame.allowed_origins()):
        return render_template("embed/refused.html", page=page), 404
    post = embed_threads.live_post_by_url(page["url"])
    config = current_app.config
    thread = (
        threads.load_thread(
            post,
            frame.frame_actor(token),
            SortOrder.OLDEST,
            1,
            config["REPLIES_PER_PAGE"],
            config["MAX_DEPTH"],
        )
        if post is not None
        else None
    )
    closed = posts.closed_reason(post) if post is not None else None
    return render_template(
        "embed/thread.html",
        page=page,
        post=post,
        thread=thread,
        form=form,
        frame=frame.sign(token),
        comments_closed=closed,
    ), status


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
    return _render(_page(request.args), frame.frame_token(request.args.get("frame")), form)


def _post_rate_limit() -> str:
    return str(current_app.config["POST_RATE_LIMIT"])


@bp.post("/embed/thread")
@tokenless_when_same_origin
@limiter.limit(_post_rate_limit)
def reply() -> ResponseReturnValue:
    page = _page(request.form, prefix="page_")
    token = frame.frame_token(request.form.get("frame"))
    form = _form()
    if not embed_threads.page_allowed(page["url"], frame.allowed_origins()):
        return render_template("embed/refused.html", page=page), 404
    if not form.validate():
        return _render(page, token, form, 400)
    try:
        reply = _post(page, token, form)
    except InvalidInput as error:
        apply_errors(form, error)
        return _render(page, token, form, 400)
    except DomainError as error:
        form.form_errors.append(error.message)
        return _render(page, token, form, error.status_code)
    query = urlencode({**page, "frame": frame.sign(token)})
    return redirect(f"{url_for('embed.thread')}?{query}#c{reply.id}", code=303)


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
    """Reply counts for index pages of allowed sites: {"counts": {address: n}}."""
    allowed = frame.allowed_origins()
    urls = [
        url
        for url in request.args.getlist("url")[:MAX_COUNT_URLS]
        if embed_threads.page_allowed(url, allowed)
    ]
    response = jsonify(counts=embed_threads.reply_counts(urls))
    return frame.cors_headers(response)
