"""What one viewer adds to a thread page every reader shares: their likes, their own replies and
the controls these give them.

A page of replies is the same for everyone who has no held reply in the post (held replies are
shown to their author only, and change the numbering), so the web layer may render it once and
put each viewer's state on top from these few facts, in one query.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Collection
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import BindParameter
from sqlalchemy import ColumnElement
from sqlalchemy import Connection
from sqlalchemy import Executable
from sqlalchemy import Integer
from sqlalchemy import Row
from sqlalchemy import any_
from sqlalchemy import bindparam
from sqlalchemy import literal
from sqlalchemy import null
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import union_all
from sqlalchemy.dialects.postgresql import ARRAY

from forum.extensions import db
from forum.models import Like
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.security.actor import Actor
from forum.security.policies import AuthoredReply
from forum.security.policies import can_moderate
from forum.security.policies import is_own_reply
from forum.services import authoring

_HELD = (ReplyStatus.PENDING, ReplyStatus.SPAM)


@dataclass(frozen=True)
class OwnReply:
    """What the edit and delete checks read of one of the viewer's shown replies."""

    id: int
    status: ReplyStatus
    created_at: datetime
    author_id: int | None
    guest_token: str | None
    deleted_at: datetime | None = None


@dataclass(frozen=True)
class ViewerReplies:
    own: Mapping[int, AuthoredReply]  # the viewer's replies among the shown ones, by id
    liked: frozenset[int]  # ids of the shown replies the viewer likes
    post_version: int | None = None  # the post's version as of the same statement


# Calls a reading function, such as viewer_rows, with a connection of its own and these
# arguments, or returns what it remembers such a call returned (the web layer's page reads).
Reader = Callable[[Callable[..., Any], dict[str, Any]], Any]


def viewer_replies(
    actor: Actor, post: Post, root_ids: Collection[int], read: Reader | None = None
) -> ViewerReplies | None:
    """The viewer's likes and own replies under these top-level replies, and the post's version,
    in one query; None when the viewer has a held reply anywhere in the post (their page is not
    the one others see)."""
    by_user, by_browser = actor.user_id is not None, bool(actor.guest_token)
    if not (by_user or by_browser):
        return ViewerReplies(own={}, liked=frozenset())
    arguments: dict[str, Any] = {"post_id": post.id, "root_ids": tuple(root_ids)}
    arguments.update(user_id=actor.user_id, guest_token=actor.guest_token)
    rows: Sequence[Row[Any]]
    if read is None:
        rows = viewer_rows(db.session.connection(), **arguments)
    else:
        rows = read(viewer_rows, arguments)
    version = next((row.id for row in rows if row.liked is None), None)
    written = [
        OwnReply(row.id, row.status, row.created_at, row.author_id, row.guest_token)
        for row in rows
        if row.liked is not None and not row.liked
    ]
    if any(reply.status in _HELD for reply in written):
        return None
    own = {
        reply.id: reply
        for reply in written
        if reply.status == ReplyStatus.APPROVED
        and is_own_reply(actor.user, actor.guest_token, reply)
    }
    liked = frozenset(row.id for row in rows if row.liked)
    return ViewerReplies(own=own, liked=liked, post_version=version)


def viewer_rows(
    connection: Connection,
    post_id: int,
    root_ids: tuple[int, ...],
    user_id: int | None,
    guest_token: str | None,
) -> Sequence[Row[Any]]:
    """viewer_replies' one statement on `connection`: its rows, as they are."""
    by_user, by_browser = user_id is not None, bool(guest_token)
    statement = _statement(by_user, by_browser, connection.dialect.name)
    parameters = {"post_id": post_id, "root_ids": list(root_ids)}
    parameters.update(user_id=user_id, guest_token=guest_token)
    return connection.execute(statement, parameters).all()


def controls(
    actor: Actor, own: AuthoredReply | None, window: Callable[[], timedelta]
) -> tuple[bool, bool]:
    """(may edit, may delete) for a shown, approved reply; `own` when it is the viewer's.

    Another's reply: moderators may edit it (it is not deleted, or it would not be shown),
    nobody may delete it, as authoring.may_edit and may_delete say.
    """
    if own is None:
        return can_moderate(actor.user), False
    return authoring.may_edit(actor, own, window), authoring.may_delete(actor, own, window)


_REPLY = Reply.__table__
_LIKE = Like.__table__
_POST = Post.__table__


def _under_roots(dialect: str) -> ColumnElement[bool]:
    """Replies under the page's top-level ones. PostgreSQL takes the ids as one array, so the
    statement's text is the same for every page (psycopg parses it once, then prepares it)."""
    if dialect == "postgresql":
        return _REPLY.c.root_id == any_(bindparam("root_ids", type_=ARRAY(Integer)))
    return _REPLY.c.root_id.in_(bindparam("root_ids", expanding=True))


@cache
def _statement(by_user: bool, by_browser: bool, dialect: str) -> Executable:
    """The viewer's held or shown replies, then the shown replies they like (built once each):
    each half can use its index (author or browser; the liker); last the post's version, in
    the id column with no `liked` (so a page built from remembered copies can tell their age)."""
    user: BindParameter[Any] = bindparam("user_id")
    token: BindParameter[Any] = bindparam("guest_token")
    shown = _under_roots(dialect)
    mine = [_REPLY.c.author_id == user] if by_user else []
    mine += [_REPLY.c.guest_token == token] if by_browser else []
    columns = (_REPLY.c.status, _REPLY.c.created_at, _REPLY.c.author_id, _REPLY.c.guest_token)
    written = select(_REPLY.c.id, *columns, literal(False).label("liked")).where(
        _REPLY.c.post_id == bindparam("post_id"),
        _REPLY.c.deleted_at.is_(None),
        or_(*mine),
        or_(_REPLY.c.status.in_(_HELD), shown),
    )
    liker = _LIKE.c.user_id == user if by_user else _LIKE.c.guest_token == token
    nothing = [null()] * len(columns)
    liked = (
        select(_LIKE.c.reply_id, *nothing, literal(True))
        .join(_REPLY, _REPLY.c.id == _LIKE.c.reply_id)
        .where(liker, shown)
    )
    version = select(_POST.c.version, *nothing, null()).where(_POST.c.id == bindparam("post_id"))
    return union_all(written, liked, version)
