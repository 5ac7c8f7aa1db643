"""Reading: categories, posts, a thread's replies as a numbered tree, one reply in context."""

from __future__ import annotations

from flask import current_app
from flask import jsonify
from flask import request
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.i18n import _
from forum.services import threads
from forum.services.threads import SortOrder
from forum.web.api import schemas
from forum.web.api.auth import api_actor
from forum.web.api.blueprint import route
from forum.web.api.presenters import category_json
from forum.web.api.presenters import node_json
from forum.web.api.presenters import post_json
from forum.web.api.presenters import summary_json
from forum.web.ids import parse_id

PAGE = {"page": schemas.PAGE}


def page_arg() -> int:
    number = parse_id(request.args.get("page", "1"))
    if number is None or not 1 <= number <= 100_000:
        raise InvalidInput({"page": [_("The page number must be a whole number from 1.")]})
    return number


def _sort_arg() -> SortOrder:
    try:
        return SortOrder(request.args.get("sort", SortOrder.OLDEST.value))
    except ValueError:
        raise InvalidInput({"sort": [_("Sort by oldest, newest or liked.")]}) from None


@route("/categories", "GET", summary="List categories", scope="read", response=schemas.CATEGORIES)
def categories() -> ResponseReturnValue:
    return jsonify(categories=[category_json(c) for c in threads.list_categories()])


@route(
    "/posts",
    "GET",
    summary="List live posts, pinned then newest",
    scope="read",
    response=schemas.POSTS,
    query={**PAGE, "category": schemas.STR},
)
def posts() -> ResponseReturnValue:
    slug = request.args.get("category")
    category = threads.get_category(slug) if slug else None
    found = threads.list_posts(page_arg(), current_app.config["POSTS_PER_PAGE"], category=category)
    return jsonify(
        posts=[summary_json(s) for s in found.items], page=found.page, has_next=found.has_next
    )


@route(
    "/posts/<slug>/replies",
    "GET",
    summary="A page of the thread's replies as a tree",
    scope="read",
    response=schemas.THREAD,
    query={**PAGE, "sort": {"enum": ["oldest", "newest", "liked"]}},
)
def thread(slug: str) -> ResponseReturnValue:
    config = current_app.config
    page = threads.load_thread(
        threads.get_post(slug),
        api_actor(),
        _sort_arg(),
        page_arg(),
        config["REPLIES_PER_PAGE"],
        config["MAX_DEPTH"],
    )
    return jsonify(
        post=post_json(page.post, page.reply_count),
        replies=[node_json(node) for node in page.nodes],
        reply_count=page.reply_count,
        sort=page.sort.value,
        page=page.page,
        has_next=page.has_next,
    )


@route(
    "/posts/<slug>/replies/<int:reply_id>",
    "GET",
    scope="read",
    summary="One reply with the replies above it and everything below it",
    response=schemas.IN_CONTEXT,
)
def reply_in_context(slug: str, reply_id: int) -> ResponseReturnValue:
    post = threads.get_post(slug)
    context = threads.load_reply_in_context(
        post, reply_id, api_actor(), current_app.config["MAX_DEPTH"]
    )
    return jsonify(
        post=post_json(post, threads.approved_reply_count(post)),
        reply_id=context.reply.id,
        replies=[node_json(node) for node in context.nodes],
    )
