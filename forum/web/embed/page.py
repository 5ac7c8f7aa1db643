"""The thread frame as the widget's views render it, and the addresses that lead back to it."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from urllib.parse import urlencode

from flask import current_app
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.i18n import lazy_gettext
from forum.services import embed_threads
from forum.services import posts
from forum.services import threads
from forum.services.threads import SortOrder
from forum.services.tree import ThreadNode
from forum.web.embed import frame
from forum.web.embed import session
from forum.web.forms import ReplyForm
from forum.web.ids import parse_id

# Short notes shown at the top of the frame after an action, named in its address.
NOTICES = {
    "reported": lazy_gettext("Thanks — a moderator will look at it."),
    "signed-in": lazy_gettext("You are signed in."),
    "signed-out": lazy_gettext("You are signed out of the comments."),
    "sign-in-to-like": lazy_gettext("Sign in to like replies."),
}


def page_from(source: Mapping[str, str], prefix: str = "") -> dict[str, str]:
    """The host page's address, title and theme, as the frame keeps passing them along.

    The reply form names them page_*: its own `url` field is the guest's website.
    """
    theme = source.get(f"{prefix}theme", "light")
    return {
        "url": source.get(f"{prefix}url", "").strip(),
        "title": source.get(f"{prefix}title", "").strip()[:300],
        "theme": theme if theme in ("light", "dark") else "light",
    }


def allowed(page: dict[str, str]) -> bool:
    return embed_threads.page_allowed(page["url"], frame.allowed_origins())


def refused(page: dict[str, str]) -> ResponseReturnValue:
    return render_template("embed/refused.html", page=page), 404


def thread_url(
    page: dict[str, str], token: str, anchor: str | None = None, **extra: str | int
) -> str:
    """Back to the thread frame, keeping the page and the frame's guest token."""
    query = urlencode({**page, "frame": frame.sign(token), **extra})
    return f"{url_for('embed.thread')}?{query}" + (f"#{anchor}" if anchor else "")


def render_thread(
    page: dict[str, str],
    token: str,
    form: ReplyForm,
    status: int = 200,
    reply_to: int | None = None,
) -> ResponseReturnValue:
    if not allowed(page):
        return refused(page)
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
    signed = frame.sign(token)
    wanted = reply_to if reply_to is not None else form.parent_reply_id
    return render_template(
        "embed/thread.html",
        page=page,
        post=post,
        thread=thread,
        form=form,
        frame=signed,
        embed_csrf=session.csrf_token(),
        query={**page, "frame": signed},
        reply_to=wanted if thread is not None and _answerable(thread.nodes, wanted) else None,
        notice=NOTICES.get(request.args.get("notice", "")),
        comments_closed=posts.closed_reason(post) if post is not None else None,
    ), status


def _answerable(nodes: Iterable[ThreadNode], reply_id: int | None) -> bool:
    """The reply to answer is shown in this frame (else the form goes under the thread)."""
    return reply_id is not None and any(
        node.reply.id == reply_id or _answerable(node.children, reply_id) for node in nodes
    )


def reply_to_arg() -> int | None:
    return parse_id(request.args.get("reply_to"))
