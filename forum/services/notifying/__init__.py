"""Writing notifications, inside the transaction of the service whose change causes them.

Nobody is told about their own doing, and only about replies everyone can see (approved and
not deleted): a held reply notifies when a moderator approves it. Each (recipient, kind, reply)
is one row, inserted with ON CONFLICT, so edits, re-approvals and undos never notify twice;
likes keep one row per reply whose count and latest liker change, and which turns unread again.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.extensions import db
from forum.models import Like
from forum.models import Notification
from forum.models import NotificationKind
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.models.base import utcnow
from forum.services.notifying.mentions import mentioned_users

_KEY = ["recipient_id", "kind", "reply_id"]


def reply_visible(reply: Reply, *, approved_by: User | None = None) -> None:
    """A reply is up (posted, approved, or edited): tell whom it answers and mentions.

    With `approved_by`, a moderator released it from the queue: its author hears so too.
    """
    if reply.status is not ReplyStatus.APPROVED or reply.deleted_at is not None:
        return
    told: set[int] = set()
    answered = _answered_author(reply)
    if answered is not None:
        _once(reply, answered, NotificationKind.REPLY)
        told.add(answered)
    for user in mentioned_users(reply):
        if user.id not in told and user.id != reply.author_id:
            _once(reply, user.id, NotificationKind.MENTION)
            told.add(user.id)
    if approved_by is not None and reply.author_id not in (None, approved_by.id):
        _once(reply, reply.author_id, NotificationKind.APPROVED, actor=approved_by)


def replies_visible(replies: Iterable[Reply], *, approved_by: User | None = None) -> None:
    """reply_visible for each of several replies (a bulk approval, an undo)."""
    for reply in replies:
        reply_visible(reply, approved_by=approved_by)


def liked(reply: Reply, liker: User | None) -> None:
    """A new like: the reply's author's one like row counts it and turns unread again."""
    if reply.author_id is None or (liker is not None and liker.id == reply.author_id):
        return
    likes = select(func.count(Like.id)).where(Like.reply_id == reply.id).scalar_subquery()
    values = _values(reply, reply.author_id, NotificationKind.LIKE, actor=liker)
    statement = _insert().values(**values, count=likes)
    statement = statement.on_conflict_do_update(
        index_elements=_KEY,
        set_={
            "count": statement.excluded.count,
            "actor_id": statement.excluded.actor_id,
            "actor_name": statement.excluded.actor_name,
            "updated_at": statement.excluded.updated_at,
            "read_at": None,
        },
    )
    db.session.execute(statement)


def _answered_author(reply: Reply) -> int | None:
    """The account the reply answers: its parent's author, or the post's for a top-level one."""
    if reply.parent is not None:
        answered = None if reply.parent.deleted_at else reply.parent.author_id
    else:
        answered = reply.post.author_id
    return None if answered == reply.author_id else answered


def _once(
    reply: Reply, recipient_id: int, kind: NotificationKind, *, actor: User | None = None
) -> None:
    values = _values(reply, recipient_id, kind, actor=actor or reply.author)
    if actor is None and reply.author is None:
        values["actor_name"] = reply.author_name
    db.session.execute(_insert().values(**values).on_conflict_do_nothing(index_elements=_KEY))


def _values(
    reply: Reply, recipient_id: int, kind: NotificationKind, *, actor: User | None
) -> dict[str, Any]:
    now = utcnow()
    return {
        "recipient_id": recipient_id,
        "kind": kind,
        "reply_id": reply.id,
        "post_id": reply.post_id,
        "actor_id": actor.id if actor is not None else None,
        "actor_name": None,  # accounts are named by actor_id, so a renamed one shows its new name
        "created_at": now,
        "updated_at": now,
    }


def _insert() -> Any:
    dialect = db.session.get_bind().dialect.name
    return (pg_insert if dialect == "postgresql" else sqlite_insert)(Notification)
