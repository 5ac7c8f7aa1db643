"""Page-cache versions: any change to what a post's pages show raises that post's version.

One helper, applied to every write in the writer's own transaction: session hooks see the ORM
writes (flushed objects, and bulk UPDATE/DELETE statements on the models pages show) and call
touch_posts or touch_site (for flushed objects once per transaction, right before its commit).
Cached pages are keyed by these numbers, so invalidation is a number going up, never a key hunt,
and no writer can forget it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field
from itertools import chain
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import bindparam
from sqlalchemy import case
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import inspect
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import InstanceState
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session
from sqlalchemy.orm import SessionTransaction
from sqlalchemy.orm import UOWTransaction

from forum.extensions import db
from forum.models import Category
from forum.models import Like
from forum.models import Post
from forum.models import PostStatus
from forum.models import Reply
from forum.models import Setting
from forum.models import User
from forum.models.base import utcnow
from forum.services.site_settings import MODERATION_KEY
from forum.services.site_settings import SITE_KEY

# What a page shows of a member: their name, picture and badge.
_SHOWN_USER_FIELDS = ("display_name", "avatar_url", "role")
# Settings rows pages depend on (the spam filter's counts are one too, but shown nowhere).
_SHOWN_SETTINGS = frozenset({MODERATION_KEY, SITE_KEY, "setup"})


def touch_posts(connection: Connection, post_ids: Iterable[int | None]) -> None:
    """Raise these posts' versions (their thread pages and the listings change)."""
    ids = sorted({post_id for post_id in post_ids if post_id is not None})
    if ids:
        connection.execute(_BUMP_POSTS, {"post_ids": ids})


# Built once: every write bumps a post (an expanding IN takes any number of them).
_BUMP_POSTS = (
    update(Post)
    .where(Post.id.in_(bindparam("post_ids", expanding=True)))
    .values(version=Post.version + 1)
)


def touch_site(connection: Connection) -> None:
    """Something every page shows changed (settings, a category, a member's name): all go."""
    connection.execute(update(Post).values(version=Post.version + 1))


def touch_post(post_id: int) -> None:
    """For writers outside the ORM (raw SQL): bump one post in the session's transaction."""
    touch_posts(db.session.connection(), [post_id])


# Built once: every anonymous page view runs it, and a Core statement on the table skips the
# ORM's per-query work.
_POST_TABLE = Post.__table__
_VERSION_BY_SLUG = select(
    _POST_TABLE.c.version, _POST_TABLE.c.status, _POST_TABLE.c.published_at
).where(_POST_TABLE.c.slug == bindparam("slug"))


def post_version(connection: Connection, slug: str, **_other_view_args: object) -> int | None:
    """The live post's version, read before its page so a cached copy is never newer.

    It takes a connection of the caller's, not the session's: a cached page then opens no
    session transaction at all (its begin and teardown cost as much as the query), and the
    front layer reads it before Flask runs."""
    row = connection.execute(_VERSION_BY_SLUG, {"slug": slug}).first()
    if row is None or row.status != PostStatus.PUBLISHED or row.published_at > utcnow():
        return None
    version: int = row.version
    return version


def listing_version(connection: Connection, **_other_view_args: object) -> str:
    """Index and category pages change with any post's version, and when a post goes live."""
    live = case(((Post.status == "published") & (Post.published_at <= utcnow()), 1), else_=0)
    row = connection.execute(
        select(func.count(Post.id), func.sum(Post.version), func.max(Post.id), func.sum(live))
    ).one()
    return "-".join(str(part or 0) for part in row)


def _loaded(obj: object, name: str) -> int | None:
    """An attribute already loaded, never a lazy load inside a flush."""
    value = inspect(obj).dict.get(name)
    return value if isinstance(value, int) else None


def _key(obj: object) -> Any:
    """The primary key, even of an instance expired by a commit."""
    state: InstanceState[Any] = inspect(obj)
    return state.identity[0] if state.identity else None


def _shown_user_change(user: User) -> bool:
    state: InstanceState[User] = inspect(user)
    if state.deleted or state.was_deleted:
        return True
    return any(state.attrs[name].history.has_changes() for name in _SHOWN_USER_FIELDS)


def _site_wide(obj: object) -> bool:
    if isinstance(obj, Setting):
        return (inspect(obj).dict.get("key") or _key(obj)) in _SHOWN_SETTINGS
    return isinstance(obj, Category) or (isinstance(obj, User) and _shown_user_change(obj))


@dataclass
class _Pending:
    """What this transaction's flushes changed, bumped once just before it commits."""

    post_ids: set[int | None] = field(default_factory=set)
    site: bool = False


_PENDING = "porch_cache_versions"  # session.info key


def _after_flush(session: Session, context: UOWTransaction) -> None:
    post_ids: set[int | None] = set()
    reply_ids: set[int | None] = set()
    site = False
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, Reply):  # an expired reply may not have post_id loaded: look it up
            post_id = _loaded(obj, "post_id")
            if post_id is None:
                reply_ids.add(_loaded(obj, "id") or _key(obj))
            post_ids.add(post_id)
        elif isinstance(obj, Post):
            post_ids.add(_loaded(obj, "id") or _key(obj))
        elif isinstance(obj, Like):
            reply_ids.add(_loaded(obj, "reply_id"))
        elif _site_wide(obj):
            site = True
    if not (site or post_ids or reply_ids):
        return
    ids = {i for i in reply_ids if i is not None}
    if ids and not site:  # now: a reply deleted later in the transaction has no post then
        query = select(Reply.__table__.c.post_id).where(Reply.__table__.c.id.in_(ids))
        post_ids.update(session.connection().scalars(query))
    pending: _Pending = session.info.setdefault(_PENDING, _Pending())
    pending.post_ids |= post_ids
    pending.site |= site


def post_changed(session: Session, post_id: int) -> None:
    """For writers outside the ORM's flush: raise the post's version at commit, with the rest."""
    pending: _Pending = session.info.setdefault(_PENDING, _Pending())
    pending.post_ids.add(post_id)


def _before_commit(session: Session) -> None:
    """One UPDATE per transaction, as late as possible: on PostgreSQL it locks the post's row
    until the commit, so concurrent replies to one post wait for each other only that long."""
    session.flush()
    pending: _Pending | None = session.info.pop(_PENDING, None)
    if pending is None:
        return
    connection = session.connection()
    if pending.site:
        touch_site(connection)
    else:
        touch_posts(connection, pending.post_ids)


def _after_transaction_end(session: Session, transaction: SessionTransaction) -> None:
    """A rolled back (or closed) transaction's changes are gone: so are their bumps."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def _before_bulk_statement(state: ORMExecuteState) -> None:
    """Bulk UPDATE/DELETE statements bypass the flush: find the posts they touch first."""
    if not (state.is_update or state.is_delete) or state.bind_mapper is None:
        return
    model: Any = state.bind_mapper.class_
    where: Any = getattr(state.statement, "whereclause", None)
    connection = state.session.connection()
    if model in (Category, User) or (model in (Reply, Like, Post) and where is None):
        touch_site(connection)
    elif model is Reply:
        touch_posts(connection, connection.scalars(select(Reply.post_id).where(where)))
    elif model is Like:
        touch_posts(
            connection,
            connection.scalars(
                select(Reply.post_id).join(Like, Like.reply_id == Reply.id).where(where)
            ),
        )
    elif model is Post:
        touch_posts(connection, connection.scalars(select(Post.id).where(where)))


def install() -> None:
    """Hook the session class once; every app and test shares it."""
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "after_flush", _after_flush):
        event.listen(session_class, "after_flush", _after_flush)
        event.listen(session_class, "before_commit", _before_commit)
        event.listen(session_class, "after_transaction_end", _after_transaction_end)
        event.listen(session_class, "do_orm_execute", _before_bulk_statement)
