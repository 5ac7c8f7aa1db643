"""Atom feeds: site posts, one category's posts, one thread's replies, the site's latest replies.

Each answers conditional GETs (ETag and Last-Modified, 304) and may be kept for a minute by any
cache (`Cache-Control: public, max-age=60`): feeds show only public text, the same to everyone.
"""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.i18n import _
from forum.models import Post
from forum.models import Reply
from forum.services import feeds
from forum.services import threads
from forum.web.feeds.atom import Entry
from forum.web.feeds.atom import Feed
from forum.web.feeds.atom import render
from forum.web.filters import request_site_settings

bp = Blueprint("feeds", __name__, url_prefix="/feeds")
ATOM_TYPE = "application/atom+xml"
MAX_AGE = 60
SINCE_EVER = datetime(2000, 1, 1, tzinfo=UTC)


def _site_name() -> str:
    return request_site_settings().site_name or str(current_app.config["SITE_NAME"])


def _post_entry(post: Post) -> Entry:
    return Entry(
        title=post.title,
        url=url_for("threads.show", slug=post.slug, _external=True),
        author=post.author.display_name if post.author else _site_name(),
        published=post.published_at,
        updated=max(post.updated_at or post.published_at, post.published_at),
        html=post.body_html,
        category=post.category.name if post.category else None,
    )


def _reply_entry(reply: Reply) -> Entry:
    return Entry(
        title=f"{reply.author_name} on “{reply.post.title}”",
        url=url_for("threads.permalink", slug=reply.post.slug, reply_id=reply.id, _external=True),
        author=reply.author_name,
        published=reply.created_at,
        updated=reply.edited_at or reply.created_at,
        html=reply.body_html,
    )


def _respond(feed: Feed) -> ResponseReturnValue:
    response = Response(render(feed, _site_name()), mimetype=ATOM_TYPE)
    response.set_etag(feed.etag)
    response.last_modified = feed.updated
    response.cache_control.public = True
    response.cache_control.max_age = MAX_AGE
    return response.make_conditional(request)


def _feed(title: str, page_url: str, entries: list[Entry], since: datetime) -> Feed:
    return Feed(title, request.base_url, page_url, entries, since)


@bp.get("/posts.atom")
def posts() -> ResponseReturnValue:
    entries = [_post_entry(post) for post in feeds.latest_posts()]
    home = url_for("threads.index", _external=True)
    return _respond(_feed(_site_name(), home, entries, SINCE_EVER))


@bp.get("/replies.atom")
def replies() -> ResponseReturnValue:
    entries = [_reply_entry(reply) for reply in feeds.latest_replies()]
    home = url_for("threads.index", _external=True)
    title = _("Latest replies · %(site)s", site=_site_name())
    return _respond(_feed(title, home, entries, SINCE_EVER))


@bp.get("/c/<slug>.atom")
def category(slug: str) -> ResponseReturnValue:
    found = threads.get_category(slug)
    entries = [_post_entry(post) for post in feeds.latest_posts(found)]
    page = url_for("threads.category", slug=slug, _external=True)
    return _respond(_feed(f"{found.name} · {_site_name()}", page, entries, SINCE_EVER))


@bp.get("/t/<slug>.atom")
def thread(slug: str) -> ResponseReturnValue:
    post = threads.get_post(slug)
    entries = [_reply_entry(reply) for reply in feeds.latest_replies(post)]
    page = url_for("threads.show", slug=slug, _external=True)
    title = _("Replies to “%(title)s”", title=post.title)
    return _respond(_feed(title, page, entries, post.published_at))
