"""Reading one account's notifications: the unread count, the page, marking read."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any
from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import joinedload

from forum.errors import Forbidden
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import Notification
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.models.base import utcnow

_Query = TypeVar("_Query", bound=Select[Any])


@dataclass(frozen=True)
class InboxPage:
    notifications: list[Notification]
    page: int
    has_next: bool
    unread: int


def _visible(query: _Query, recipient_id: Any) -> _Query:
    """Only the recipient's, and only about replies still up: removed ones drop out silently."""
    return query.join(Reply, Reply.id == Notification.reply_id).where(
        Notification.recipient_id == recipient_id,
        Reply.status == ReplyStatus.APPROVED,
        Reply.deleted_at.is_(None),
    )


def unread_count(user: User) -> int:
    """The header's number: one indexed COUNT (built once: every member's page asks)."""
    return db.session.scalar(_unread_statement(), {"recipient_id": user.id}) or 0


@cache
def _unread_statement() -> Select[int]:
    query = _visible(select(func.count(Notification.id)), bindparam("recipient_id"))
    return query.where(Notification.read_at.is_(None))


def unread_count_of(recipient_id: Any) -> Any:
    """The unread count as a column of another statement (such as the one loading the user)."""
    query = _visible(select(func.count(Notification.id)), recipient_id)
    return query.where(Notification.read_at.is_(None)).scalar_subquery()


def inbox_page(*, user: User, page: int, per_page: int) -> InboxPage:
    """Newest activity first, with what the page shows loaded in the same query."""
    query = (
        _visible(select(Notification), user.id)
        .options(
            joinedload(Notification.post),
            joinedload(Notification.reply),
            joinedload(Notification.actor),
        )
        .order_by(Notification.updated_at.desc(), Notification.id.desc())
        .offset((page - 1) * per_page)
        .limit(per_page + 1)
    )
    rows = list(db.session.scalars(query).unique())
    return InboxPage(
        notifications=rows[:per_page],
        page=page,
        has_next=len(rows) > per_page,
        unread=unread_count(user),
    )


def mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read; someone else's is refused."""
    notification = db.session.get(Notification, notification_id)
    if notification is None:
        raise NotFound(_("That notification does not exist."))
    if notification.recipient_id != user.id:
        raise Forbidden(_("That notification is not yours."))
    if notification.read_at is None:
        notification.read_at = utcnow()
        db.session.commit()
    return notification


def mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many."""
    result = db.session.execute(
        update(Notification)
        .where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]
