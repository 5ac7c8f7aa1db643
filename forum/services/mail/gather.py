"""Pending notices into mail: at most one per thread per subscriber per interval, or a daily digest.

Replies that arrive while a subscriber's thread is throttled wait as pending rows and are
gathered into the next mail. Rows are taken with a guarded DELETE, so two workers never mail
the same notice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete
from sqlalchemy import select

from forum.extensions import db
from forum.models import Delivery
from forum.models import MailThrottle
from forum.models import PendingNotice
from forum.models import Subscription
from forum.models.base import utcnow
from forum.services.mail.outbox import queue_message


def _take(rows: list[PendingNotice]) -> bool:
    """Delete these rows; False (and rolled back) if another worker took some first."""
    ids = [row.id for row in rows]
    result = db.session.execute(
        delete(PendingNotice)
        .where(PendingNotice.id.in_(ids))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != len(ids):  # type: ignore[attr-defined]
        db.session.rollback()
        return False
    return True


def _pending(mode: Delivery) -> list[PendingNotice]:
    return list(
        db.session.scalars(
            select(PendingNotice)
            .join(Subscription, Subscription.id == PendingNotice.subscription_id)
            .where(Subscription.mode == mode)
            .order_by(PendingNotice.id)
        )
    )


def send_due(now: datetime | None = None) -> int:
    """Mail each subscriber whose thread is not throttled; returns messages queued."""
    now = now or utcnow()
    groups: dict[tuple[str, int], list[PendingNotice]] = defaultdict(list)
    for row in _pending(Delivery.EACH):
        groups[(row.address, row.post_id)].append(row)
    queued = 0
    for (address, post_id), rows in groups.items():
        replies = [row.reply_id for row in rows if row.reply_id is not None]
        if replies and _throttled(address, post_id, now):
            continue
        if not _take(rows):
            continue
        first = rows[0]
        if replies:
            queue_message(
                kind="thread_replies",
                to=address,
                data={"post_id": post_id, "reply_ids": sorted(set(replies))},
                thread_post_id=post_id,
                subscription_id=first.subscription_id,
            )
            _throttle(address, post_id, now)
        else:
            queue_message(
                kind="new_post",
                to=address,
                data={"post_id": post_id},
                thread_post_id=post_id,
                subscription_id=first.subscription_id,
            )
        db.session.commit()
        queued += 1
    return queued


def _throttled(address: str, post_id: int, now: datetime) -> bool:
    throttle = db.session.get(MailThrottle, (address, post_id))
    return throttle is not None and throttle.next_at > now


def _throttle(address: str, post_id: int, now: datetime) -> None:
    next_at = now + timedelta(seconds=int(current_app.config["MAIL_THREAD_INTERVAL"]))
    throttle = db.session.get(MailThrottle, (address, post_id))
    if throttle is None:
        db.session.add(MailThrottle(address=address, post_id=post_id, next_at=next_at))
    else:
        throttle.next_at = next_at


def send_daily() -> int:
    """One digest per daily subscription with anything pending; returns messages queued."""
    groups: dict[int, list[PendingNotice]] = defaultdict(list)
    for row in _pending(Delivery.DAILY):
        groups[row.subscription_id].append(row)
    queued = 0
    for subscription_id, rows in groups.items():
        if not _take(rows):
            continue
        threads: dict[int, list[int]] = defaultdict(list)
        for row in rows:
            threads[row.post_id].extend([row.reply_id] if row.reply_id is not None else [])
        queue_message(
            kind="daily_digest",
            to=rows[0].address,
            data={"threads": [{"post_id": p, "reply_ids": r} for p, r in threads.items()]},
            subscription_id=subscription_id,
        )
        db.session.commit()
        queued += 1
    return queued
