"""Threads for other sites' pages that embed Porch: found by address, made on demand."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from urllib.parse import urlsplit

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models.base import utcnow
from forum.services.threads import is_live
from forum.text.plain import plain_text

EMBED_MARKER = "embed-page"
URL_MAX_LENGTH = 2000


def origin_of(url: str) -> str | None:
    """scheme://host[:port] of an http(s) address, lower-cased; None for anything else."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()


def page_allowed(url: str, allowed_origins: Iterable[str]) -> bool:
    """Only pages on the sites the owner listed get a thread."""
    origin = origin_of(url)
    allowed = {o.rstrip("/").lower() for o in allowed_origins}
    return origin is not None and len(url) <= URL_MAX_LENGTH and origin in allowed


def _variants(url: str) -> set[str]:
    return {url, url.rstrip("/"), url.rstrip("/") + "/"}


def post_by_url(url: str) -> Post | None:
    """A post whose original address is this one (a trailing slash either way)."""
    return db.session.scalar(
        select(Post).where(Post.original_url.in_(_variants(url))).order_by(Post.id).limit(1)
    )


def live_post_by_url(url: str) -> Post | None:
    post = post_by_url(url)
    return post if post is not None and post.is_live() else None


def _slug_for(url: str) -> str:
    """One slug per address, so two first replies racing collide on the unique slug."""
    digest = hashlib.sha256(url.rstrip("/").encode()).hexdigest()[:16]
    return f"page-{digest}"


def post_for_page(url: str, title: str) -> Post:
    """The page's thread, created (titled from the page) when its first reply arrives."""
    existing = post_by_url(url)
    if existing is not None:
        return existing
    post = Post(
        slug=_slug_for(url),
        title=plain_text(title).strip()[:300] or url[:300],
        body_source="",
        body_html="",
        excerpt="",
        published_at=utcnow(),
        original_url=url,
        imported_as=EMBED_MARKER,
    )
    try:
        with db.session.begin_nested():
            db.session.add(post)
    except IntegrityError:  # another first reply made it a moment ago
        found = post_by_url(url)
        assert found is not None  # nosec B101  # narrowing: the insert lost to that very row
        return found
    return post


def reply_counts(urls: list[str]) -> dict[str, int]:
    """Approved replies per page address asked for; addresses without a thread count 0."""
    wanted = {variant: url for url in urls for variant in _variants(url)}
    rows = db.session.execute(
        select(Post.original_url, func.count(Reply.id))
        .join(
            Reply, (Reply.post_id == Post.id) & (Reply.status == ReplyStatus.APPROVED), isouter=True
        )
        .where(Post.original_url.in_(list(wanted)), is_live())
        .group_by(Post.original_url)
    ).all()
    counts = dict.fromkeys(urls, 0)
    for original_url, count in rows:
        if original_url is not None:
            counts[wanted[original_url]] = max(counts[wanted[original_url]], int(count))
    return counts
