"""The moderation queue: tabs with counts, filters, and each item with its context.

A page costs the same handful of queries however long the queue is: counts (with the Pending
tab's groups), items (with post, author and parent joined), their open flags, and their
authors' history.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import String
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import union_all
from sqlalchemy.orm import joinedload

from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import Flag
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyRevision
from forum.models import ReplyStatus
from forum.models import User
from forum.services.moderation.flags import open_flags_for


class Tab(StrEnum):
    PENDING = "pending"
    FLAGGED = "flagged"
    SPAM = "spam"
    APPROVED = "approved"
    TRASH = "trash"


@dataclass(frozen=True)
class QueueFilters:
    post_id: int | None = None
    author: str | None = None
    email: str | None = None
    ip: str | None = None
    text: str | None = None
    reason: str | None = None  # the rule that held it (Pending tab groups)

    def query_args(self) -> dict[str, Any]:
        """The filters as the queue page's URL parameters, for paging links."""
        names = {
            "post_id": "post",
            "author": "author",
            "email": "email",
            "ip": "ip",
            "text": "q",
            "reason": "reason",
        }
        return {names[k]: v for k, v in self.__dict__.items() if v not in (None, "")}


@dataclass
class AuthorHistory:
    approved: int = 0
    pending: int = 0
    spam: int = 0
    trash: int = 0
    first_seen: datetime | None = None


@dataclass
class QueueItem:
    reply: Reply
    flags: list[Flag]
    history: AuthorHistory


@dataclass
class QueuePage:
    tab: Tab
    items: list[QueueItem]
    counts: dict[Tab, int]
    groups: list[tuple[str, int]] = field(default_factory=list)
    page: int = 1
    has_next: bool = False
    newest_first: bool = True


def _open_flag() -> Any:
    return exists().where(Flag.reply_id == Reply.id, Flag.resolved_at.is_(None))


def _tab_condition(tab: Tab) -> Any:
    if tab is Tab.FLAGGED:
        return _open_flag()
    return Reply.status == ReplyStatus(tab.value)


def _filter_conditions(filters: QueueFilters) -> list[Any]:
    conditions: list[Any] = []
    if filters.post_id:
        conditions.append(Reply.post_id == filters.post_id)
    if filters.author:
        conditions.append(
            or_(
                Reply.guest_name.icontains(filters.author, autoescape=True),
                Reply.author.has(User.display_name.icontains(filters.author, autoescape=True)),
            )
        )
    if filters.email:
        conditions.append(
            or_(
                Reply.guest_email.icontains(filters.email, autoescape=True),
                Reply.author.has(User.email.icontains(filters.email, autoescape=True)),
            )
        )
    if filters.ip:
        conditions.append(Reply.ip_address.startswith(filters.ip, autoescape=True))
    if filters.text:
        conditions.append(Reply.body_source.icontains(filters.text, autoescape=True))
    if filters.reason:
        conditions.append(Reply.held_reason == filters.reason)
    return conditions


def counts() -> dict[Tab, int]:
    """Live counts for every tab, in one query."""
    return _tallies()[0]


def _tallies() -> tuple[dict[Tab, int], list[tuple[str, int]]]:
    """Every tab's count, and the pending replies by the rule that held them (largest group
    first), in one statement whose parts are each a range of an index on status."""
    none = literal(None, String)
    held = (
        select(literal(Tab.PENDING.value), Reply.held_reason, func.count())
        .where(Reply.status == ReplyStatus.PENDING)
        .group_by(Reply.held_reason)
    )
    others = [
        select(literal(status.value), none, func.count()).where(Reply.status == status)
        for status in (ReplyStatus.APPROVED, ReplyStatus.SPAM, ReplyStatus.TRASH)
    ]
    flagged = select(
        literal(Tab.FLAGGED.value), none, func.count(func.distinct(Flag.reply_id))
    ).where(Flag.resolved_at.is_(None))
    tallies = dict.fromkeys(Tab, 0)
    groups: list[tuple[str, int]] = []
    tab: str
    reason: str | None
    count: int
    for tab, reason, count in db.session.execute(union_all(held, *others, flagged)).all():
        tallies[Tab(tab)] += int(count)
        if tab == Tab.PENDING.value:
            groups.append((reason or "unknown", int(count)))
    groups.sort(key=lambda group: (-group[1], group[0]))
    return tallies, groups


def load_queue(
    *, tab: Tab, filters: QueueFilters, newest_first: bool, page: int, per_page: int
) -> QueuePage:
    where = [_tab_condition(tab), *_filter_conditions(filters)]
    order = (
        [Reply.created_at.desc(), Reply.id.desc()] if newest_first else [Reply.created_at, Reply.id]
    )
    replies = list(
        db.session.scalars(
            select(Reply)
            .where(*where)
            .options(
                # A card names its post: not each row carrying the post's whole text.
                joinedload(Reply.post).load_only(Post.slug, Post.title),
                joinedload(Reply.author),
                joinedload(Reply.moderated_by),
                joinedload(Reply.parent).joinedload(Reply.author),
            )
            .order_by(*order)
            .limit(per_page + 1)
            .offset((page - 1) * per_page)
        ).unique()
    )
    shown = replies[:per_page]
    flags = open_flags_for([r.id for r in shown])
    histories = _histories(shown)
    items = [
        QueueItem(r, flags.get(r.id, []), histories.get(_author_key(r), AuthorHistory()))
        for r in shown
    ]
    tallies, groups = _tallies()
    return QueuePage(
        tab=tab,
        items=items,
        counts=tallies,
        page=page,
        has_next=len(replies) > per_page,
        groups=groups if tab is Tab.PENDING else [],
        newest_first=newest_first,
    )


def _author_key(reply: Reply) -> str:
    if reply.author_id is not None:
        return f"user:{reply.author_id}"
    return f"email:{(reply.guest_email or '').lower()}"


def _histories(replies: list[Reply]) -> dict[str, AuthorHistory]:
    """Each author's record, by account or guest email, in one grouped query."""
    user_ids = {r.author_id for r in replies if r.author_id is not None}
    emails = {
        (r.guest_email or "").lower() for r in replies if r.author_id is None and r.guest_email
    }
    if not user_ids and not emails:
        return {}
    email = func.lower(Reply.guest_email)
    rows = db.session.execute(
        select(
            Reply.author_id, email, Reply.status, func.count(Reply.id), func.min(Reply.created_at)
        )
        # Members' rows the email side adds are keyed by their account, so no shown guest's
        # record takes them in; the plain OR lets each side use its own index.
        .where(or_(Reply.author_id.in_(user_ids), email.in_(emails)))
        .group_by(Reply.author_id, email, Reply.status)
    ).all()
    histories: dict[str, AuthorHistory] = {}
    for author_id, guest_email, status, count, first in rows:
        key = f"user:{author_id}" if author_id is not None else f"email:{guest_email}"
        history = histories.setdefault(key, AuthorHistory())
        setattr(history, status.value, getattr(history, status.value) + count)
        history.first_seen = min(filter(None, [history.first_seen, first]), default=None)
    return histories


def ids_in_group(reason: str) -> list[int]:
    """Every pending reply held by this rule, for "approve all in this group"."""
    held = Reply.held_reason.is_(None) if reason == "unknown" else Reply.held_reason == reason
    query = select(Reply.id).where(Reply.status == ReplyStatus.PENDING, held)
    return list(db.session.scalars(query))


@dataclass
class ItemDetail:
    item: QueueItem
    revisions: list[ReplyRevision]
    children: int  # replies below it, which keep their place if it is removed


def item_detail(reply_id: int) -> ItemDetail:
    """One reply with everything a moderator needs to judge it."""
    reply = db.session.scalar(
        select(Reply)
        .where(Reply.id == reply_id)
        .options(
            joinedload(Reply.post),
            joinedload(Reply.author),
            joinedload(Reply.moderated_by),
            joinedload(Reply.parent).joinedload(Reply.author),
        )
    )
    if reply is None:
        raise NotFound(_("That reply does not exist."))
    flags = open_flags_for([reply.id]).get(reply.id, [])
    history = _histories([reply]).get(_author_key(reply), AuthorHistory())
    revisions = list(
        db.session.scalars(
            select(ReplyRevision)
            .where(ReplyRevision.reply_id == reply.id)
            .order_by(ReplyRevision.id.desc())
        )
    )
    below = select(func.count(Reply.id)).where(
        Reply.post_id == reply.post_id, Reply.path.startswith(reply.path + "/", autoescape=True)
    )
    return ItemDetail(QueueItem(reply, flags, history), revisions, db.session.scalar(below) or 0)
