"""Events that may cause mail, written in the causing transaction; the worker turns them into mail.

A request writes one event row; the fan-out to moderators and subscribers happens in the worker.
An event is claimed by a guarded UPDATE in the same transaction as the rows its handling writes,
so it is handled exactly once even with several workers, and a crash rolls both back.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from typing import cast

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import Table
from sqlalchemy import exists
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import MailEvent
from forum.models import PendingNotice
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Scope
from forum.models import Subscription
from forum.models.base import utcnow
from forum.services import accounts
from forum.services import site_settings
from forum.services.mail import addresses
from forum.services.mail.outbox import KICK
from forum.services.mail.outbox import queue_message
from forum.services.mail.subscriptions import address_of
from forum.services.moderation.admin import staff
from forum.services.threads import is_live

log = logging.getLogger(__name__)
REPLY_POSTED = "reply_posted"
REPLY_APPROVED = "reply_approved"
POST_LIVE = "post_live"
_ONE_A_DAY = parse("1/day")
_FIVE_A_DAY = parse("5/day")


def record(kind: str, *, reply_id: int | None = None, post_id: int | None = None) -> None:
    """Add an event in the caller's transaction (no commit); the worker is triggered after it."""
    db.session.add(MailEvent(kind=kind, reply_id=reply_id, post_id=post_id))
    db.session.info[KICK] = True


_INSERT_EVENT = insert(cast(Table, MailEvent.__table__))


def record_now(kind: str, *, reply_id: int | None = None, post_id: int | None = None) -> None:
    """record, written at once by a reused Core statement (no flush): for a row already stored."""
    values = {"kind": kind, "reply_id": reply_id, "post_id": post_id, "key": None}
    db.session.connection().execute(_INSERT_EVENT, {**values, "created_at": utcnow()})
    db.session.info[KICK] = True


def process_pending(limit: int = 200) -> int:
    """Handle unhandled events, oldest first; returns how many this run handled."""
    ids = db.session.scalars(
        select(MailEvent.id)
        .where(MailEvent.processed_at.is_(None))
        .order_by(MailEvent.id)
        .limit(limit)
    ).all()
    handled = 0
    for event_id in ids:
        claimed = db.session.execute(
            update(MailEvent)
            .where(MailEvent.id == event_id, MailEvent.processed_at.is_(None))
            .values(processed_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if not claimed.rowcount:  # type: ignore[attr-defined]
            db.session.rollback()
            continue
        event = db.session.get(MailEvent, event_id)
        if event is not None:
            _handle(event)
        db.session.commit()
        handled += 1
    return handled


def _handle(event: MailEvent) -> None:
    if event.kind == POST_LIVE:
        post = db.session.get(Post, event.post_id)
        if post is not None:
            _fan_out_post(post)
        return
    reply = db.session.get(Reply, event.reply_id, options=[joinedload(Reply.post)])
    if reply is None:
        return
    if event.kind == REPLY_POSTED:
        _confirm_guest_if_needed(reply)
        if reply.status is ReplyStatus.PENDING:
            _tell_moderators(reply)
    if event.kind == REPLY_APPROVED and reply.notify_author:
        email = reply.author.email if reply.author is not None else reply.guest_email
        if email and reply.status is ReplyStatus.APPROVED:
            queue_message(kind="reply_approved", to=email, data={"reply_id": reply.id})
    if reply.status is ReplyStatus.APPROVED:
        _fan_out_reply(reply)


def _confirm_guest_if_needed(reply: Reply) -> None:
    """A held first-time guest, or a guest who subscribed, is asked to confirm their address."""
    if not reply.guest_email or reply.author_id is not None:
        return
    email = addresses.normalise(reply.guest_email)
    subscribed = db.session.scalar(
        select(exists().where(Subscription.email == email, Subscription.user_id.is_(None)))
    )
    if reply.held_reason != "first_time" and not subscribed:
        return
    if accounts.guest_email_confirmed(email) or not _may_mail_guest(email, reply.ip_address):
        return
    queue_message(kind="guest_confirm", to=email, data={"email": email})


def _may_mail_guest(email: str, ip: str | None) -> bool:
    """Anyone can type any address: at most one confirmation a day to it, a few per sender."""
    counter = current_app.extensions.get("porch_mail_counter")
    if counter is None:
        storage = storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"])
        counter = current_app.extensions["porch_mail_counter"] = FixedWindowRateLimiter(storage)
    per_address = counter.hit(_ONE_A_DAY, "guest-confirmation", email)
    per_sender = counter.hit(_FIVE_A_DAY, "guest-confirmation-ip", ip or "unknown")
    return bool(per_address and per_sender)


def _tell_moderators(reply: Reply) -> None:
    """At once, unless they chose a daily digest; only replies that wait (spam waits for none)."""
    settings = site_settings.moderation_settings()
    if not settings.notify_moderators or settings.daily_digest:
        return
    for moderator in staff():
        if moderator.email_verified and moderator.email:
            queue_message(kind="mod_held", to=moderator.email, data={"reply_id": reply.id})


def _post_is_live(post_id: int) -> bool:
    return db.session.scalar(select(exists().where(Post.id == post_id, is_live()))) or False


def _fan_out_reply(reply: Reply) -> None:
    """A pending notice for every subscriber who may see the reply, except its author."""
    if reply.deleted_at is not None or not _post_is_live(reply.post_id):
        return
    matches = (Subscription.scope == Scope.THREAD) & (Subscription.post_id == reply.post_id)
    if reply.parent_id is not None:
        matches |= (Subscription.scope == Scope.REPLY) & (Subscription.reply_id == reply.parent_id)
    author_email = reply.author.email if reply.author is not None else reply.guest_email
    skip = {addresses.normalise(author_email)} if author_email else set()
    _add_notices(
        select(Subscription).where(matches).options(joinedload(Subscription.user)),
        reply.post_id,
        reply.id,
        skip_addresses=skip,
        skip_user=reply.author_id,
    )


def _fan_out_post(post: Post) -> None:
    site_wide = Subscription.category_id.is_(None) & Subscription.series_name.is_(None)
    matches = site_wide
    if post.category_id is not None:
        matches |= Subscription.category_id == post.category_id
    if post.series_name:
        matches |= Subscription.series_name == post.series_name
    query = select(Subscription).where(Subscription.scope == Scope.POSTS, matches)
    author = post.author.email if post.author is not None else None
    skip = {addresses.normalise(author)} if author else set()
    _add_notices(query.options(joinedload(Subscription.user)), post.id, None, skip, post.author_id)


def _add_notices(
    query: object,
    post_id: int,
    reply_id: int | None,
    skip_addresses: set[str],
    skip_user: int | None,
) -> None:
    chosen: dict[str, Subscription] = {}
    for subscription in db.session.scalars(query).unique():  # type: ignore[call-overload]
        if skip_user is not None and subscription.user_id == skip_user:
            continue
        address = address_of(subscription)
        if address and address not in skip_addresses:
            chosen.setdefault(address, subscription)
    blocked = addresses.unusable(set(chosen))
    for address, subscription in chosen.items():
        if address not in blocked:
            db.session.add(
                PendingNotice(
                    subscription_id=subscription.id,
                    address=address,
                    post_id=post_id,
                    reply_id=reply_id,
                )
            )


def announce_live_posts() -> int:
    """Posts that went live (published now, or their scheduled time passed) get one event each."""
    now = utcnow()
    announced = select(MailEvent.post_id).where(MailEvent.kind == POST_LIVE)
    posts = db.session.scalars(
        select(Post.id).where(
            is_live(),
            Post.published_at >= now - timedelta(days=1),
            Post.imported_as.is_(None),
            Post.id.not_in(announced),
        )
    ).all()
    for post_id in posts:
        db.session.add(MailEvent(kind=POST_LIVE, post_id=post_id, key=f"post-live:{post_id}"))
    if posts:
        try:
            db.session.commit()
        except Exception:  # another worker announced them first (unique key)
            db.session.rollback()
            return 0
    return len(posts)
