"""`porch export wordpress`: posts, categories, authors and replies as WXR 1.2 for WordPress.

WordPress eXtended RSS is RSS 2.0 with WordPress's namespaces; its importer reads authors,
categories, then one <item> per post with its <wp:comment>s. Text goes in CDATA as WordPress's
own exporter writes it (a `]]>` inside is split across two sections), everything else is
escaped, and characters XML 1.0 cannot carry are dropped. Written post by post, so it streams.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime
from email.utils import format_datetime
from typing import Any
from typing import TextIO
from xml.sax.saxutils import escape  # nosec B406  # escapes XML output, parses none
from xml.sax.saxutils import quoteattr  # nosec B406  # as above

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import RowMapping
from sqlalchemy import select
from sqlalchemy import union

from forum.models import Category
from forum.models import Post
from forum.models import PostStatus
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.models.base import utcnow

WXR_VERSION = "1.2"
NAMESPACES = {
    "excerpt": "http://wordpress.org/export/1.2/excerpt/",
    "content": "http://purl.org/rss/1.0/modules/content/",
    "wfw": "http://wellformedweb.org/CommentAPI/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/1.2/",
}
APPROVED = {
    ReplyStatus.APPROVED: "1",
    ReplyStatus.PENDING: "0",
    ReplyStatus.SPAM: "spam",
    ReplyStatus.TRASH: "trash",
}
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_LOGIN_UNSAFE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class WxrSite:
    """What the channel says about the site; `post_link` turns a post slug into its address."""

    title: str
    base_url: str
    post_link: Callable[[str], str]


def write_wxr(engine: Engine, out: TextIO, site: WxrSite) -> None:
    for chunk in iter_wxr(engine, site):
        out.write(chunk)


def iter_wxr(engine: Engine, site: WxrSite) -> Iterator[str]:
    """The document in pieces: the channel head, authors, categories, then one item per post."""
    with engine.connect() as connection:
        yield _channel_head(site)
        logins: dict[int, str] = {}
        for author in connection.execute(_authors_query()).mappings():
            logins[author["id"]] = login_name(author["id"], author["display_name"])
            yield _author(author, logins[author["id"]])
        categories = {c["id"]: c for c in connection.execute(_categories_query()).mappings()}
        yield "".join(_category(category) for category in categories.values())
        for post in connection.execute(select(*Post.__table__.columns).order_by(Post.id)).all():
            yield _item(connection, post._mapping, logins, categories, site)
        yield "</channel>\n</rss>\n"


def login_name(user_id: int, display_name: str) -> str:
    """A WordPress user name (letters, digits, hyphens), unique through the id."""
    slug = _LOGIN_UNSAFE.sub("-", display_name.lower()).strip("-")[:40]
    return f"{slug}-{user_id}" if slug else f"user-{user_id}"


def _authors_query() -> Any:
    authored = union(
        select(Post.author_id.label("id")).where(Post.author_id.is_not(None)),
        select(Reply.author_id.label("id")).where(Reply.author_id.is_not(None)),
    ).subquery()
    return (
        select(User.id, User.display_name, User.email)
        .where(User.id.in_(select(authored.c.id)))
        .order_by(User.id)
    )


def _categories_query() -> Any:
    return select(Category.id, Category.slug, Category.name, Category.description).order_by(
        Category.position, Category.id
    )


def _clean(value: object) -> str:
    return _NOT_XML.sub("", "" if value is None else str(value))


def _cdata(value: object) -> str:
    return "<![CDATA[" + _clean(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _tag(name: str, value: object, *, cdata: bool = False) -> str:
    inner = _cdata(value) if cdata else escape(_clean(value))
    return f"<{name}>{inner}</{name}>"


def _wp_date(value: datetime) -> str:
    """WordPress's 'Y-m-d H:i:s'; Porch keeps UTC, so local and GMT dates are the same."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _channel_head(site: WxrSite) -> str:
    spaces = "".join(f"\n  xmlns:{prefix}={quoteattr(uri)}" for prefix, uri in NAMESPACES.items())
    base = site.base_url.rstrip("/")
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<rss version="2.0"{spaces}>',
        "<channel>",
        _tag("title", site.title),
        _tag("link", base),
        _tag("description", ""),
        _tag("pubDate", format_datetime(utcnow())),
        _tag("language", "en"),
        _tag("wp:wxr_version", WXR_VERSION),
        _tag("wp:base_site_url", base),
        _tag("wp:base_blog_url", base),
        _tag("generator", "Porch"),
    ]
    return "\n".join(lines) + "\n"


def _author(author: RowMapping, login: str) -> str:
    parts = [
        _tag("wp:author_id", author["id"]),
        _tag("wp:author_login", login, cdata=True),
        _tag("wp:author_email", author["email"] or "", cdata=True),
        _tag("wp:author_display_name", author["display_name"], cdata=True),
        _tag("wp:author_first_name", "", cdata=True),
        _tag("wp:author_last_name", "", cdata=True),
    ]
    return "<wp:author>" + "".join(parts) + "</wp:author>\n"


def _category(category: RowMapping) -> str:
    parts = [
        _tag("wp:term_id", category["id"]),
        _tag("wp:category_nicename", category["slug"], cdata=True),
        _tag("wp:category_parent", "", cdata=True),
        _tag("wp:cat_name", category["name"], cdata=True),
        _tag("wp:category_description", category["description"], cdata=True),
    ]
    return "<wp:category>" + "".join(parts) + "</wp:category>\n"


def _item(
    connection: Connection,
    post: RowMapping,
    logins: dict[int, str],
    categories: dict[int, RowMapping],
    site: WxrSite,
) -> str:
    """One post: its fields, its category, then every reply on it."""
    parts = _post_fields(post, logins.get(post["author_id"] or 0, ""), site)
    category = categories.get(post["category_id"] or 0)
    if category is not None:
        nicename = quoteattr(_clean(category["slug"]))
        parts.append(
            f'<category domain="category" nicename={nicename}>{_cdata(category["name"])}</category>'
        )
    replies = connection.execute(_replies_query(post["id"])).mappings()
    comments = "".join(_comment(reply) for reply in replies)
    return "<item>\n" + "\n".join(parts) + "\n" + comments + "</item>\n"


def _post_fields(post: RowMapping, login: str, site: WxrSite) -> list[str]:
    published: datetime = post["published_at"]
    return [
        _tag("title", post["title"], cdata=True),
        _tag("link", site.post_link(post["slug"])),
        _tag("pubDate", format_datetime(published.astimezone(UTC))),
        _tag("dc:creator", login, cdata=True),
        f'<guid isPermaLink="false">{escape(site.base_url.rstrip("/"))}/?p={post["id"]}</guid>',
        _tag("description", ""),
        _tag("content:encoded", post["body_html"], cdata=True),
        _tag("excerpt:encoded", post["excerpt"], cdata=True),
        _tag("wp:post_id", post["id"]),
        _tag("wp:post_date", _wp_date(published), cdata=True),
        _tag("wp:post_date_gmt", _wp_date(published), cdata=True),
        _tag("wp:comment_status", "open" if post["comments_open"] else "closed", cdata=True),
        _tag("wp:ping_status", "closed", cdata=True),
        _tag("wp:post_name", post["slug"], cdata=True),
        _tag("wp:status", _wp_status(post["status"], published), cdata=True),
        _tag("wp:post_parent", 0),
        _tag("wp:menu_order", 0),
        _tag("wp:post_type", "post", cdata=True),
        _tag("wp:post_password", "", cdata=True),
        _tag("wp:is_sticky", int(post["pinned"])),
    ]


def _wp_status(status: str, published: datetime) -> str:
    """WordPress's word for the post's state: a draft, scheduled ("future") or published."""
    if status == PostStatus.DRAFT:
        return "draft"
    return "future" if published > utcnow() else "publish"


def _replies_query(post_id: int) -> Any:
    return (
        select(
            *Reply.__table__.columns,
            User.display_name.label("user_name"),
            User.email.label("user_email"),
        )
        .outerjoin(User, User.id == Reply.author_id)
        .where(Reply.post_id == post_id)
        .order_by(Reply.id)
    )


def _comment(reply: RowMapping) -> str:
    account = reply["author_id"] is not None
    status = "trash" if reply["deleted_at"] is not None else APPROVED[ReplyStatus(reply["status"])]
    parts = [
        _tag("wp:comment_id", reply["id"]),
        _tag(
            "wp:comment_author", reply["user_name"] if account else reply["guest_name"], cdata=True
        ),
        _tag(
            "wp:comment_author_email",
            (reply["user_email"] if account else reply["guest_email"]) or "",
        ),
        _tag("wp:comment_author_url", "" if account else reply["guest_url"] or ""),
        _tag("wp:comment_author_IP", reply["ip_address"] or ""),
        _tag("wp:comment_date", _wp_date(reply["created_at"])),
        _tag("wp:comment_date_gmt", _wp_date(reply["created_at"])),
        _tag("wp:comment_content", reply["body_html"], cdata=True),
        _tag("wp:comment_approved", status),
        _tag("wp:comment_type", "comment"),
        _tag("wp:comment_parent", reply["parent_id"] or 0),
        _tag("wp:comment_user_id", reply["author_id"] or 0),
    ]
    return "<wp:comment>\n" + "\n".join(parts) + "\n</wp:comment>\n"
