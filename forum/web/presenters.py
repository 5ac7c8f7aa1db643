"""Shaping domain objects for templates and JSON; URLs for sort and paging built here once."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask import get_template_attribute
from flask import url_for
from markupsafe import Markup

from forum.i18n import format_number
from forum.i18n import ngettext
from forum.models import Post
from forum.models import Reply
from forum.services.liking import LikeState
from forum.services.threads import ReplyInContext
from forum.services.threads import ThreadPage
from forum.services.tree import ThreadNode
from forum.web.caching import fragments


def liked_by_label(count: int) -> str:
    if count <= 0:
        return ""
    return ngettext(
        "Liked by %(num)s person", "Liked by %(num)s people", count, num=format_number(count)
    )


def reply_anchor_url(reply: Reply, page: int) -> str:
    """The thread page showing this reply, scrolled to it."""
    page_arg: dict[str, Any] = {"page": page} if page > 1 else {}
    return url_for("threads.show", slug=reply.post.slug, **page_arg, _anchor=f"c{reply.id}")


def conversation_url(context: ReplyInContext) -> str:
    """The thread page (oldest first) that holds a permalink's reply, scrolled to it."""
    root_number = context.nodes[0].number if context.nodes else 1
    page = (root_number - 1) // current_app.config["REPLIES_PER_PAGE"] + 1
    return reply_anchor_url(context.reply, page)


def thread_page_url(thread: ThreadPage, page: int, **extra: Any) -> str:
    args: dict[str, Any] = {"slug": thread.post.slug, **extra}
    if thread.sort.value != "oldest":
        args["sort"] = thread.sort.value
    if page > 1:
        args["page"] = page
    return url_for("threads.show", **args)


def like_json(state: LikeState) -> dict[str, Any]:
    return {
        "reply_id": state.reply_id,
        "liked": state.liked,
        "count": state.count,
        "label": liked_by_label(state.count),
    }


def render_nodes(
    nodes: list[ThreadNode],
    post: Post,
    *,
    link_page: int | None = None,
    closed: str | bool | None = False,
) -> Markup:
    """Only the <li> items of a reply list: a thread page's list, "load more" and the replies
    JS adds in place. Straight from the macro, which reads template globals only: the context
    processors a whole template runs would give it nothing."""
    reply_item = get_template_attribute(fragments.TEMPLATE, "reply_item")
    items = "".join(
        str(reply_item(node, post, link_page=link_page, closed=closed)) for node in nodes
    )
    return Markup(items)  # nosec B704  # each item is our autoescaping macro's output
