"""Searching: one ranked page of hits and their total, in two statements on either engine.

Visibility is decided here, against the live rows, never by what the index holds: readers get
posts that are live and replies that are approved and not deleted on them; moderators get every
reply whatever its status.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import time
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import case
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from forum.extensions import db
from forum.i18n import _
from forum.models import Category
from forum.models import Post
from forum.models import PostStatus
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.models.base import utcnow
from forum.services.search.backends import Backend
from forum.services.search.backends import backend_for
from forum.services.search.query import ParsedQuery
from forum.services.search.query import parse


class Scope(StrEnum):
    PUBLIC = "public"  # live posts and their approved replies
    MODERATION = "moderation"  # every reply, whatever its status


@dataclass(frozen=True)
class SearchFilters:
    category: str | None = None  # slug
    author: str | None = None  # display name or guest name, any case
    since: date | None = None
    until: date | None = None  # inclusive
    thread: str | None = None  # a post's slug: "in this thread"


@dataclass(frozen=True)
class Hit:
    reply_id: int | None  # None: the post itself
    post_id: int
    post_slug: str
    post_title: str
    category_name: str | None
    author_name: str
    at: datetime
    snippet: str  # plain text with START/STOP around matches
    status: ReplyStatus | None
    deleted: bool


@dataclass
class SearchPage:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    page: int = 1
    per_page: int = 20

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total


def _visible(scope: Scope, is_reply: ColumnElement[bool]) -> ColumnElement[bool]:
    if scope is Scope.MODERATION:
        return and_(is_reply, Reply.id.is_not(None))
    live = and_(Post.status == PostStatus.PUBLISHED, Post.published_at <= utcnow())
    approved = and_(Reply.status == ReplyStatus.APPROVED, Reply.deleted_at.is_(None))
    return and_(live, or_(~is_reply, approved))


def _start(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _text(value: str) -> str:
    """A filter as the database can compare it (PostgreSQL refuses NUL in text)."""
    return value.replace("\x00", "").strip()


def _filtered(query: Select[Any], filters: SearchFilters, at: Any, author: Any) -> Select[Any]:
    if filters.category:
        query = query.where(Category.slug == filters.category)
    if filters.author:
        query = query.where(func.lower(author) == _text(filters.author).lower())
    if filters.since:
        query = query.where(at >= _start(filters.since))
    if filters.until:
        query = query.where(at < _start(filters.until + timedelta(days=1)))
    if filters.thread:
        query = query.where(Post.slug == _text(filters.thread))
    return query


def _query(backend: Backend, parsed: ParsedQuery, scope: Scope, filters: SearchFilters) -> Any:
    key = backend.key
    is_reply = key > 0
    at = case((is_reply, Reply.created_at), else_=Post.published_at)
    author = func.coalesce(User.display_name, Reply.guest_name)
    query = (
        select(key)
        .select_from(backend.table)
        .join(Post, Post.id == backend.table.c.post_id)
        .outerjoin(Reply, and_(is_reply, Reply.id == key))
        .outerjoin(User, User.id == case((is_reply, Reply.author_id), else_=Post.author_id))
        .outerjoin(Category, Category.id == Post.category_id)
        .where(backend.match(parsed), _visible(scope, is_reply))
    )
    return _filtered(query, filters, at, author), at, author


def search(
    text: str,
    *,
    scope: Scope = Scope.PUBLIC,
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchPage:
    """Hits for `text`, best first, with snippets; an empty query finds nothing."""
    parsed = parse(text)
    result = SearchPage(query=text, page=page, per_page=per_page)
    if parsed.is_empty:
        return result
    backend = backend_for(db.session.get_bind().dialect.name)
    query, at, author = _query(backend, parsed, scope, filters or SearchFilters())
    result.total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    if result.total <= (page - 1) * per_page:
        return result
    columns = (
        backend.key,
        Post.id,
        Post.slug,
        Post.title,
        Category.name,
        func.coalesce(author, _("Anonymous")),
        at,
        backend.snippet(parsed),
        Reply.status,
        Reply.deleted_at.is_not(None),
    )
    order = (backend.score(parsed), at.desc(), backend.key.desc())
    rows = db.session.execute(
        query.with_only_columns(*columns)
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    result.hits = [_hit(*row) for row in rows]
    return result


def _hit(key: int, *rest: Any) -> Hit:
    post_id, slug, title, category, author, at, snippet, status, deleted = rest
    return Hit(
        reply_id=key if key > 0 else None,
        post_id=post_id,
        post_slug=slug,
        post_title=title,
        category_name=category,
        author_name=author,
        at=at,
        snippet=snippet or "",
        status=status,
        deleted=bool(deleted),
    )
