"""A live post as a detached copy that a caller may remember between requests, and the copy
put into a request's session without a query.

Everything a post's page shows of it (its columns, its category) raises its version when it
changes (cache_versions.py), so a copy remembered until anything is committed, as the web layer's
version reader remembers, is never older than the database in any way a page could show.
"""

from __future__ import annotations

from sqlalchemy import Connection
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models import Post
from forum.models.base import utcnow
from forum.services.threads import post_by_slug


def live_post_copy(connection: Connection, slug: str) -> Post | None:
    """The live post with its category, loaded on `connection` and detached from it."""
    with Session(bind=connection) as session:
        post: Post | None = session.scalar(post_by_slug(False), {"slug": slug, "now": utcnow()})
    return post  # closing the session detached it, with everything loaded


def adopt(copy: Post) -> Post:
    """The remembered copy as this session's own instance: no query (merge without load)."""
    return db.session.merge(copy, load=False)
