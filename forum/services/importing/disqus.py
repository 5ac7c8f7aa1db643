"""Disqus XML export read as a stream: pages (threads with a link) and their comments (posts)."""

from __future__ import annotations

import xml.etree.ElementTree as ET  # nosec B405  # see xmlstream.py
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from forum.i18n import _
from forum.models import ReplyStatus
from forum.phrases import N_
from forum.services.importing.records import CommentRecord
from forum.services.importing.records import ImportFileError
from forum.services.importing.records import PageRecord
from forum.services.importing.records import Record
from forum.services.importing.records import Skipped
from forum.services.importing.records import Source
from forum.services.importing.xmlstream import children
from forum.services.importing.xmlstream import elements
from forum.services.importing.xmlstream import parse_datetime
from forum.services.importing.xmlstream import text

_TOP = frozenset({"thread", "post"})
_DSQ_ID = "{http://disqus.com/disqus-internals}id"


def read(path: Path) -> Iterator[Record]:
    """Each post as a comment, preceded by its thread's page the first time that page is used."""
    threads: dict[str, PageRecord | None] = {}  # dsq:id -> page (None: no link to attach to)
    announced: set[str] = set()
    for tag, element in elements(path, _TOP, depth=1):
        if tag.startswith("root:"):
            if tag != "root:disqus":
                raise ImportFileError(
                    _("this is not a Disqus export: it starts with <%(tag)s>", tag=tag[5:])
                )
            yield Source(key="disqus")
        elif tag == "thread":
            threads[element.get(_DSQ_ID, "")] = _page(element)
        else:
            yield from _post(element, threads, announced)


def _page(thread: ET.Element) -> PageRecord | None:
    link = text(thread, "link")
    if not link:
        return None
    return PageRecord(
        source_id=thread.get(_DSQ_ID, ""),
        link=link,
        title=text(thread, "title") or link,
        created_at=parse_datetime(text(thread, "createdAt")),
    )


def _ref(element: ET.Element, child: str) -> str | None:
    found = children(element, child)
    return found[0].get(_DSQ_ID) if found else None


def _post(
    post: ET.Element, threads: dict[str, PageRecord | None], announced: set[str]
) -> Iterator[Record]:
    post_id = post.get(_DSQ_ID, "")
    thread_id = _ref(post, "thread") or ""
    if thread_id not in threads:
        yield Skipped("comment", post_id, N_("its thread is not in the file"))
        return
    page = threads[thread_id]
    if page is None:
        yield Skipped("comment", post_id, N_("its thread has no page address"))
        return
    if thread_id not in announced:
        announced.add(thread_id)
        yield page
    created = parse_datetime(text(post, "createdAt")) or page.created_at
    if created is None:
        yield Skipped("comment", post_id, N_("no readable date"))
        return
    yield _comment(post, post_id, thread_id, created)


def _status(post: ET.Element) -> ReplyStatus:
    if text(post, "isSpam") == "true":
        return ReplyStatus.SPAM
    if text(post, "isDeleted") == "true":
        return ReplyStatus.TRASH
    if text(post, "isApproved") == "false":
        return ReplyStatus.PENDING
    return ReplyStatus.APPROVED


def _comment(post: ET.Element, post_id: str, thread_id: str, created: datetime) -> CommentRecord:
    author = children(post, "author")
    who = author[0] if author else ET.Element("author")
    return CommentRecord(
        source_id=post_id,
        post_source_id=thread_id,
        parent_source_id=_ref(post, "parent"),
        kind="comment",
        status=_status(post),
        body_html=text(post, "message"),
        created_at=created,
        author_name=text(who, "name") or text(who, "username") or "Anonymous",
        author_email=text(who, "email") or None,
        author_url=None,
        ip_address=text(post, "ipAddress") or None,
        user_source_id=None,
    )
