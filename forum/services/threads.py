"""Reading: the post index and thread pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any

from sqlalchemy import BindParameter
from sqlalchemy import ColumnElement
from sqlalchemy import ScalarSelect
from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import bindparam
from sqlalchemy import exists
from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import literal_column
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import aliased
from sqlalchemy.orm import joinedload

from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import Category
from forum.models import Like
from forum.models import Post
from forum.models import PostStatus
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.security.policies import can_see_reply
from forum.security.policies import is_own_reply
from forum.services.tree import ThreadNode
from forum.services.tree import build_tree


class SortOrder(StrEnum):
    OLDEST = "oldest"
    NEWEST = "newest"
    LIKED = "liked"


@dataclass
class PostSummary:
    post: Post
    reply_count: int
    last_activity_at: datetime


@dataclass
class PostPage:
    items: list[PostSummary]
    page: int
    has_next: bool


@dataclass
class ThreadPage:
    post: Post
    nodes: list[ThreadNode]
    reply_count: int  # approved replies in the whole thread
    sort: SortOrder
    page: int
    has_next: bool
    viewer_holds: bool = False  # the viewer has a held reply in the post: their page is theirs


@dataclass(frozen=True)
class Viewer:
    """An Actor's identifiers as bound parameters (or None), for statements built once."""

    user_id: Any
    guest_token: Any


@dataclass(frozen=True)
class PostRef:
    """A post's id as a bound parameter, for statements built once."""

    id: Any


# Written into the SQL, not bound: only a literal shows PostgreSQL (in a prepared statement's
# generic plan too) that a count may read ix_reply_approved_post_id_depth_created_at.
_APPROVED_LITERAL: ColumnElement[str] = literal_column(f"'{ReplyStatus.APPROVED.value}'")


def approved_live(reply: Any = Reply) -> ColumnElement[bool]:
    """Approved and not deleted: the replies every reader sees."""
    return and_(reply.status == _APPROVED_LITERAL, reply.deleted_at.is_(None))


def visible_to(actor: Actor | Viewer, reply: Any = Reply) -> ColumnElement[bool]:
    """Approved replies, plus the actor's own held ones (never their trashed ones).

    `reply` may be an alias of Reply, for subqueries.
    """
    return or_(approved_live(reply), held_by(actor, reply))


def held_by(actor: Actor | Viewer, reply: Any = Reply) -> ColumnElement[bool]:
    """The actor's own replies waiting for a moderator (pending or spam, not deleted)."""
    own = [reply.author_id == actor.user_id] if actor.user_id is not None else []
    token = actor.guest_token
    if isinstance(token, BindParameter) or token:  # a Viewer's parameter, or a set token
        own.append(reply.guest_token == token)
    return and_(
        or_(*own) if own else false(),
        reply.status.in_([ReplyStatus.PENDING, ReplyStatus.SPAM]),
        reply.deleted_at.is_(None),
    )


def is_live(now: Any = None) -> ColumnElement[bool]:
    """Posts readers may see: published, and not scheduled for later (than `now`, which may
    be a bound parameter)."""
    moment = utcnow() if now is None else now
    return and_(Post.status == PostStatus.PUBLISHED, Post.published_at <= moment)


def list_posts(page: int, per_page: int, category: Category | None = None) -> PostPage:
    """Pinned, then newest posts, with approved-reply counts and last activity, in one query."""
    counts = (
        select(
            Reply.post_id,
            func.count(Reply.id).label("reply_count"),
            func.max(Reply.created_at).label("last_reply_at"),
        )
        .where(approved_live())
        .group_by(Reply.post_id)
        .subquery()
    )
    query = (
        select(Post, counts.c.reply_count, counts.c.last_reply_at)
        .outerjoin(counts, counts.c.post_id == Post.id)
        .where(is_live())
        .options(joinedload(Post.category), joinedload(Post.author))
        .order_by(Post.pinned.desc(), Post.published_at.desc(), Post.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    )
    if category is not None:
        query = query.where(Post.category_id == category.id)
    rows = db.session.execute(query).all()
    if page > 1 and not rows:
        raise NotFound(_("There is no page %(page)d here: the list ends sooner.", page=page))
    items = [
        PostSummary(post, count or 0, max(post.published_at, last) if last else post.published_at)
        for post, count, last in rows[:per_page]
    ]
    return PostPage(items=items, page=page, has_next=len(rows) > per_page)


def get_post(slug: str, include_unpublished: bool = False, afresh: bool = False) -> Post:
    """A live post; drafts and scheduled posts only for those who write them (a preview).
    `afresh` overwrites a copy of it (and its category) the session already holds."""
    options = {"populate_existing": True} if afresh else {}
    parameters = {"slug": slug, "now": utcnow()}
    post = db.session.scalar(
        post_by_slug(include_unpublished), parameters, execution_options=options
    )
    if post is None:
        raise NotFound(_("There is no post at this address."))
    return post


@cache
def post_by_slug(include_unpublished: bool) -> Select[Post]:
    """Built once each: every thread page runs one."""
    query = select(Post).where(Post.slug == bindparam("slug")).options(joinedload(Post.category))
    if include_unpublished:
        return query
    return query.where(is_live(bindparam("now")))


def get_category(slug: str) -> Category:
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise NotFound(_("There is no category at this address."))
    return category


def list_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.name)))


def approved_reply_count(post: Post) -> int:
    return db.session.scalar(_approved_count(post.id)) or 0


def approved_count(post_id: int) -> ScalarSelect[int]:
    """approved_reply_count as a subquery, to ask with other counts in one query."""
    return _approved_count(post_id).scalar_subquery()


def _approved_count(post_id: int) -> Select[int]:
    # `depth >= 0` holds for every reply; it lets SQLite without ANALYZE statistics see that
    # the (post_id, depth, status, deleted_at, created_at) index beats the status index, which
    # would read every approved reply of the site (4 ms at 11,000 of them, against 0.3 ms);
    # that index alone answers the count.
    return select(func.count(Reply.id)).where(
        Reply.post_id == post_id, Reply.depth >= 0, approved_live()
    )


def _root_order(sort: SortOrder) -> list[ColumnElement[Any]]:
    oldest_first: list[ColumnElement[Any]] = [Reply.created_at.asc(), Reply.id.asc()]
    if sort is SortOrder.NEWEST:
        return [Reply.created_at.desc(), Reply.id.desc()]
    if sort is SortOrder.LIKED:
        return [Reply.like_count.desc(), *oldest_first]
    return oldest_first


# Built once: a new alias costs ~1 ms per query in building its column proxies. Safe to share,
# as it only ever stands inside one EXISTS, correlated to the outer query's plain Reply.
_BELOW = aliased(Reply, name="below")


def shown_roots(post: Post | PostRef, actor: Actor | Viewer) -> Select[int]:
    """Top-level replies worth a place on the page: visible, or holding a visible reply."""
    return select(Reply.id).where(
        Reply.post_id == post.id,
        Reply.depth == 0,
        or_(visible_to(actor), has_visible_child(actor)),
    )


def has_visible_child(actor: Actor | Viewer) -> ColumnElement[bool]:
    """A top-level reply has a reply below it that the actor sees (keeps a hidden one's place)."""
    below = _BELOW
    return exists().where(below.root_id == Reply.id, below.id != Reply.id, visible_to(actor, below))


def load_thread(
    post: Post, actor: Actor, sort: SortOrder, page: int, per_page: int, max_depth: int
) -> ThreadPage:
    """One page of top-level replies with their whole subtrees and numbers, in four queries."""
    roots_query = (
        shown_roots(post, actor)
        .order_by(*_root_order(sort))
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    )
    rows = db.session.execute(roots_query.add_columns(_oldest_first_number())).all()
    root_ids = [root_id for root_id, _ in rows]
    page_root_ids = root_ids[:per_page]
    if page > 1 and not page_root_ids:
        raise NotFound(
            _("There is no page %(page)d of replies here: the thread ends sooner.", page=page)
        )
    replies = _subtrees(page_root_ids)
    # Subtrees arrive in path order; put them in the order the roots were sorted.
    rank = {root_id: index for index, root_id in enumerate(page_root_ids)}
    replies.sort(key=lambda reply: (rank[reply.root_id or reply.id], reply.path))
    nodes = build_tree(
        replies,
        is_visible=lambda reply: is_visible(actor, reply),
        max_depth=max_depth,
        liked_ids=liked_ids(actor, page_root_ids),
        numbers=dict(rows[:per_page]),
        is_own=lambda reply: is_own_reply(actor.user, actor.guest_token, reply),
    )
    reply_count, viewer_holds = _counts(post, actor)
    return ThreadPage(
        post=post,
        nodes=nodes,
        reply_count=reply_count,
        sort=sort,
        page=page,
        has_next=len(root_ids) > per_page,
        viewer_holds=viewer_holds,
    )


def _counts(post: Post, actor: Actor) -> tuple[int, bool]:
    """Approved replies in the post, and whether the actor has a held one there: one query."""
    query = select(
        func.count(Reply.id).filter(approved_live()), func.count(Reply.id).filter(held_by(actor))
    ).where(Reply.post_id == post.id)
    approved, held = db.session.execute(query).one()
    return approved or 0, bool(held)


def _oldest_first_number() -> ColumnElement[int]:
    """A top-level reply's number: its place among all shown ones, oldest first, on any sort."""
    return func.row_number().over(order_by=(Reply.created_at.asc(), Reply.id.asc()))


def is_visible(actor: Actor, reply: Reply) -> bool:
    """Python twin of _visible_to, applied to rows already loaded."""
    if reply.deleted_at is not None:
        return False
    if reply.status == ReplyStatus.APPROVED:
        return True
    if reply.status == ReplyStatus.TRASH:
        return False
    own_account = actor.user_id is not None and reply.author_id == actor.user_id
    own_browser = actor.guest_token is not None and reply.guest_token == actor.guest_token
    return own_account or own_browser


def _subtrees(root_ids: list[int]) -> list[Reply]:
    if not root_ids:
        return []
    query = (
        select(Reply)
        .where(Reply.root_id.in_(root_ids))
        .options(joinedload(Reply.author))
        .order_by(Reply.path)
    )
    return list(db.session.scalars(query))


def liked_ids(actor: Actor, root_ids: list[int]) -> frozenset[int]:
    """Ids of the replies under these top-level replies that the actor likes."""
    if not root_ids or (actor.user_id is None and not actor.guest_token):
        return frozenset()
    liker = (
        Like.user_id == actor.user_id
        if actor.user_id is not None
        else Like.guest_token == actor.guest_token
    )
    query = select(Like.reply_id).join(Reply, Reply.id == Like.reply_id)
    query = query.where(Reply.root_id.in_(root_ids), liker)
    return frozenset(db.session.scalars(query))


@dataclass
class ReplyInContext:
    post: Post
    reply: Reply
    nodes: list[ThreadNode]


def load_reply_in_context(
    post: Post, reply_id: int, actor: Actor, max_depth: int
) -> ReplyInContext:
    """One reply with the chain of replies above it and everything below it."""
    reply = db.session.get(Reply, reply_id)
    if (
        reply is None
        or reply.post_id != post.id
        or not can_see_reply(actor.user, actor.guest_token, reply)
    ):
        raise NotFound(_("This reply does not exist, or is not visible."))
    query = (
        select(Reply)
        .where(
            Reply.post_id == post.id,
            or_(
                Reply.id.in_(reply.ancestor_ids + [reply.id]),
                Reply.path.startswith(reply.path + "/", autoescape=True),
            ),
        )
        .options(joinedload(Reply.author))
        .order_by(Reply.path)
    )
    replies = list(db.session.scalars(query))
    from forum.services.numbering import numbers_of  # numbering builds on this module

    chain = [r for r in replies if r.id == reply.id or r.id in reply.ancestor_ids]
    nodes = build_tree(
        replies,
        is_visible=lambda r: r.id == reply.id or is_visible(actor, r),
        max_depth=max_depth,
        liked_ids=liked_ids(actor, [reply.root_id or reply.id]),
        numbers=numbers_of(chain, actor, max_depth),
        is_own=lambda r: is_own_reply(actor.user, actor.guest_token, r),
    )
    return ReplyInContext(post=post, reply=reply, nodes=nodes)
