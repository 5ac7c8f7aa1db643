"""WordPress eXtended RSS (WXR 1.0-1.2, http or https namespace) read as a stream of records."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # nosec B405  # see xmlstream.py
from collections.abc import Iterator
from pathlib import Path

from forum.i18n import _
from forum.models import ReplyStatus
from forum.services.importing.records import AuthorRecord
from forum.services.importing.records import CommentRecord
from forum.services.importing.records import ImportFileError
from forum.services.importing.records import PostRecord
from forum.services.importing.records import Record
from forum.services.importing.records import Skipped
from forum.services.importing.records import Source
from forum.services.importing.xmlstream import children
from forum.services.importing.xmlstream import elements
from forum.services.importing.xmlstream import parse_datetime
from forum.services.importing.xmlstream import text

_CHANNEL = frozenset({"link", "wp:base_blog_url", "wp:author", "item"})
_STATUSES = {
    "1": ReplyStatus.APPROVED,
    "approve": ReplyStatus.APPROVED,
    "0": ReplyStatus.PENDING,
    "hold": ReplyStatus.PENDING,
    "spam": ReplyStatus.SPAM,
    "trash": ReplyStatus.TRASH,
    "post-trashed": ReplyStatus.TRASH,
}
_IMPORTED_TYPES = frozenset({"post", "page"})
# Scheduled ("future") posts stay scheduled; drafts, posts awaiting review and private posts
# (readable only by their authors in WordPress) arrive as drafts at the desk, never public.
_IMPORTED_STATUSES = frozenset({"publish", "private", "future", "draft", "pending"})
_DRAFT_STATUSES = frozenset({"draft", "pending", "private"})


def read(path: Path) -> Iterator[Record]:
    """Authors, then for each item its post record and its comments, in file order."""
    site = ""
    source_sent = False
    for tag, element in elements(path, _CHANNEL, depth=2):
        if tag.startswith("root:"):
            if tag != "root:rss":
                raise ImportFileError(
                    _("this is not a WordPress export: it starts with <%(tag)s>", tag=tag[5:])
                )
            continue
        if tag in ("link", "wp:base_blog_url"):
            site = (element.text or "").strip() or site
            continue
        if not source_sent:
            yield Source(key=f"wordpress:{site.rstrip('/')}")
            source_sent = True
        if tag == "wp:author":
            yield _author(element)
        else:
            yield from _item(element)


def _author(element: ET.Element) -> AuthorRecord:
    login = text(element, "wp:author_login")
    return AuthorRecord(
        source_id=login,
        numeric_id=text(element, "wp:author_id") or None,
        email=text(element, "wp:author_email") or None,
        display_name=text(element, "wp:author_display_name") or login,
    )


def _item(item: ET.Element) -> Iterator[Record]:
    post_id = text(item, "wp:post_id")
    if not post_id:
        raise ImportFileError(f"the item “{text(item, 'title')[:60]}” has no <wp:post_id>")
    kind = text(item, "wp:post_type") or "post"
    why_not = _why_not_imported(item, kind)
    if why_not:
        yield Skipped(
            kind=kind if kind in _IMPORTED_TYPES else "other item",
            source_id=post_id,
            reason=why_not,
        )
        for comment in children(item, "wp:comment"):
            yield Skipped(
                kind="comment",
                source_id=text(comment, "wp:comment_id"),
                reason=f"its {kind} was not imported ({why_not})",
            )
        return
    post = _post(item, post_id, kind)
    yield post
    for comment in children(item, "wp:comment"):
        yield _comment(comment, post)


def _why_not_imported(item: ET.Element, kind: str) -> str | None:
    if kind not in _IMPORTED_TYPES:
        return f"{kind} is not a post or page"
    status = text(item, "wp:status") or "publish"
    if status not in _IMPORTED_STATUSES:
        return f"{status} {kind}, not a post to keep"
    if text(item, "wp:post_password"):
        return f"password-protected {kind}"
    return None


def _post(item: ET.Element, post_id: str, kind: str) -> PostRecord:
    published = parse_datetime(
        text(item, "wp:post_date_gmt"), text(item, "pubDate"), text(item, "wp:post_date")
    )
    if published is None:
        raise ImportFileError(f"{kind} {post_id} has no readable date")
    category = next((c for c in children(item, "category") if c.get("domain") == "category"), None)
    return PostRecord(
        source_id=post_id,
        kind=kind,
        title=text(item, "title") or f"Untitled {kind} {post_id}",
        slug=text(item, "wp:post_name"),
        link=text(item, "link") or None,
        guid=text(item, "guid") or None,
        body_html=text(item, "content:encoded"),
        published_at=published,
        author_login=text(item, "dc:creator") or None,
        category_slug=category.get("nicename") if category is not None else None,
        category_name=(category.text or "").strip() if category is not None else None,
        draft=text(item, "wp:status") in _DRAFT_STATUSES,
        comments_open=text(item, "wp:comment_status") != "closed",
        pinned=text(item, "wp:is_sticky") == "1",
    )


def _comment(comment: ET.Element, post: PostRecord) -> CommentRecord | Skipped:
    comment_id = text(comment, "wp:comment_id")
    approved = text(comment, "wp:comment_approved") or "1"
    created = parse_datetime(text(comment, "wp:comment_date_gmt"), text(comment, "wp:comment_date"))
    if approved not in _STATUSES:
        return Skipped("comment", comment_id, f"unknown approval status “{approved[:20]}”")
    if created is None:
        created = post.published_at
    parent = text(comment, "wp:comment_parent")
    user_id = text(comment, "wp:comment_user_id")
    return CommentRecord(
        source_id=comment_id,
        post_source_id=post.source_id,
        parent_source_id=parent if parent not in ("", "0") else None,
        kind=text(comment, "wp:comment_type") or "comment",
        status=_STATUSES[approved],
        body_html=text(comment, "wp:comment_content"),
        created_at=created,
        author_name=text(comment, "wp:comment_author"),
        author_email=text(comment, "wp:comment_author_email") or None,
        author_url=text(comment, "wp:comment_author_url") or None,
        ip_address=text(comment, "wp:comment_author_IP") or None,
        user_source_id=user_id if user_id not in ("", "0") else None,
    )
