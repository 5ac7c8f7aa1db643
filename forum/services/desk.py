"""The desk's list of posts: drafts, scheduled and published, each tab counted."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import ColumnElement
from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import Post
from forum.models import PostStatus
from forum.models.base import utcnow


class DeskTab(StrEnum):
    ALL = "all"
    DRAFTS = "drafts"
    SCHEDULED = "scheduled"
    PUBLISHED = "published"


@dataclass
class DeskPage:
    posts: list[Post]
    tab: DeskTab
    counts: dict[DeskTab, int]
    page: int
    has_next: bool


def _condition(tab: DeskTab) -> ColumnElement[bool] | None:
    now = utcnow()
    published = Post.status == PostStatus.PUBLISHED
    return {
        DeskTab.ALL: None,
        DeskTab.DRAFTS: Post.status == PostStatus.DRAFT,
        DeskTab.SCHEDULED: and_(published, Post.published_at > now),
        DeskTab.PUBLISHED: and_(published, Post.published_at <= now),
    }[tab]


def _counts() -> dict[DeskTab, int]:
    columns = []
    for tab in DeskTab:
        condition = _condition(tab)
        count = func.count(Post.id)
        columns.append(count if condition is None else count.filter(condition))
    row = db.session.execute(select(*columns)).one()
    return {tab: int(number or 0) for tab, number in zip(DeskTab, row, strict=True)}


def desk_page(tab: DeskTab, page: int, per_page: int) -> DeskPage:
    """One page of the tab's posts, newest first, in two queries whatever their number."""
    query = (
        select(Post)
        .options(joinedload(Post.category), joinedload(Post.author))
        .order_by(Post.published_at.desc(), Post.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    )
    condition = _condition(tab)
    if condition is not None:
        query = query.where(condition)
    posts = list(db.session.scalars(query))
    return DeskPage(
        posts=posts[:per_page],
        tab=tab,
        counts=_counts(),
        page=page,
        has_next=len(posts) > per_page,
    )
