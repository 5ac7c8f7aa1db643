"""Reading pages: index, category, thread and one reply in context."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import current_app
from flask import jsonify
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from forum.i18n import _
from forum.models import Post
from forum.security.policies import can_author
from forum.services import posts
from forum.services import threads
from forum.services.cache_versions import listing_version
from forum.services.cache_versions import post_version
from forum.services.threads import SortOrder
from forum.web.actor import current_actor
from forum.web.actor import signed_in_user
from forum.web.caching import forms
from forum.web.caching import remembered
from forum.web.caching import reply_lists
from forum.web.caching import shells
from forum.web.caching.pages import public_page
from forum.web.ids import parse_id
from forum.web.presenters import conversation_url
from forum.web.presenters import thread_page_url
from forum.web.reply_form import new_reply_form

bp = Blueprint("threads", __name__)


def page_arg() -> int:
    number = parse_id(request.args.get("page", "1"))
    if number is None or not 1 <= number <= 100_000:
        abort(400, _("The page number must be a whole number from 1."))
    return number


def _sort_arg() -> SortOrder:
    raw = request.args.get("sort", SortOrder.OLDEST.value)
    try:
        return SortOrder(raw)
    except ValueError:
        abort(400, _("Replies can be sorted by oldest, newest or liked."))


@bp.get("/")
@public_page(listing_version)
def index() -> ResponseReturnValue:
    page = threads.list_posts(page_arg(), current_app.config["POSTS_PER_PAGE"])
    return render_template("threads/index.html", posts=page, categories=threads.list_categories())


@bp.get("/c/<slug>")
@public_page(listing_version)
def category(slug: str) -> ResponseReturnValue:
    found = threads.get_category(slug)
    page = threads.list_posts(page_arg(), current_app.config["POSTS_PER_PAGE"], category=found)
    return render_template("threads/category.html", category=found, posts=page)


@bp.get("/t/<slug>")
@public_page(post_version)
def show(slug: str) -> ResponseReturnValue:
    copy = remembered.live_post(slug)
    if copy is not None:
        try:
            return _thread(copy, remembered_copy=True)
        except reply_lists.StalePost:  # changed since remembered, not yet heard of
            remembered.forget()
    user = signed_in_user()
    return _thread(threads.get_post(slug, can_author(user), afresh=copy is not None))


def _thread(post: Post, remembered_copy: bool = False) -> ResponseReturnValue:
    closed = posts.closed_reason(post)
    thread, replies_html = reply_lists.thread_replies(
        post, _sort_arg(), page_arg(), closed, check_version=remembered_copy
    )
    if request.args.get("fragment") == "1":
        next_url = thread_page_url(thread, thread.page + 1) if thread.has_next else None
        # The items as this answer always sent them, after a newline.
        return jsonify(html=f"\n{replies_html}", next_url=next_url)
    form_html = None if closed else forms.member_reply_form(post)
    page = shells.thread_page(post, thread, replies_html, form_html, closed)
    if page is not None:
        return page
    return render_template(
        "threads/show.html",
        thread=thread,
        replies_html=replies_html,
        post=post,
        reply_form_html=form_html,
        form=new_reply_form() if form_html is None else None,
        thread_page_url=thread_page_url,
        comments_closed=closed,
    )


@bp.get("/t/<slug>/c/<int:reply_id>")
@public_page(post_version)
def permalink(slug: str, reply_id: int) -> ResponseReturnValue:
    context = threads.load_reply_in_context(
        threads.get_post(slug), reply_id, current_actor(), current_app.config["MAX_DEPTH"]
    )
    return render_template(
        "threads/permalink.html",
        context=context,
        post=context.post,
        form=new_reply_form(),
        conversation_url=conversation_url(context),
        comments_closed=posts.closed_reason(context.post),
    )
