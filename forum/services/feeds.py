"""What the Atom feeds carry: the newest live posts, and the newest approved replies on them.

Each feed is one query with authors (and posts) joined, whatever its length.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import Category
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.services.threads import is_live

FEED_LENGTH = 30


def latest_posts(category: Category | None = None, limit: int = FEED_LENGTH) -> list[Post]:
    """Live posts, newest first; drafts and scheduled posts never appear."""
    query = (
        select(Post)
        .where(is_live())
        .options(joinedload(Post.author), joinedload(Post.category))
        .order_by(Post.published_at.desc(), Post.id.desc())
        .limit(limit)
    )
    if category is not None:
        query = query.where(Post.category_id == category.id)
    return list(db.session.scalars(query))


def latest_replies(post: Post | None = None, limit: int = FEED_LENGTH) -> list[Reply]:
    """Approved, undeleted replies on live posts, newest first; held ones never appear."""
    query = (
        select(Reply)
        .join(Post, Post.id == Reply.post_id)
        .where(
            Reply.status == ReplyStatus.APPROVED,
            Reply.deleted_at.is_(None),
            is_live(),
        )
        .options(joinedload(Reply.author), joinedload(Reply.post))
        .order_by(Reply.created_at.desc(), Reply.id.desc())
        .limit(limit)
    )
    if post is not None:
        query = query.where(Reply.post_id == post.id)
    return list(db.session.scalars(query))
