"""The outbox: messages written in the causing transaction, claimed with a lease, marked once.

A worker claims a row with a guarded UPDATE (queued and due, or sending with an expired lease),
so several workers never send the same row, and a worker that died mid-send leaves a row that
is retried when its lease runs out. Marking is guarded by the attempt number the claim set.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import CursorResult

from forum.extensions import db
from forum.models import MailMessage
from forum.models import MailStatus
from forum.models.base import utcnow

KICK = "porch_mail_kick"  # session.info flag: mail was queued; trigger the worker after commit


def site_host() -> str:
    """The host part of Message-IDs, from PORCH_SITE_URL (or the sender address)."""
    from urllib.parse import urlsplit

    site = current_app.config["SITE_URL"]
    if site:
        return urlsplit(str(site)).hostname or "localhost"
    sender = str(current_app.config["MAIL_FROM"]).rstrip(">")
    return sender.rsplit("@", 1)[-1] if "@" in sender else "localhost"


def post_message_id(post_id: int) -> str:
    """The root every mail about a thread refers to, so mail clients thread them."""
    return f"<post-{post_id}@{site_host()}>"


def queue_message(
    *,
    kind: str,
    to: str,
    data: dict[str, Any] | None = None,
    thread_post_id: int | None = None,
    subscription_id: int | None = None,
) -> MailMessage:
    """Add a message to the outbox in the caller's transaction (no commit)."""
    message = MailMessage(
        kind=kind,
        to_address=to.strip(),
        data=data or {},
        message_id=f"<{kind}.{secrets.token_hex(10)}@{site_host()}>",
        thread_post_id=thread_post_id,
        subscription_id=subscription_id,
        status=MailStatus.QUEUED,
        next_attempt_at=utcnow(),
    )
    db.session.add(message)
    db.session.info[KICK] = True
    return message


def _rowcount(result: Any) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


def due_ids(limit: int = 100) -> list[int]:
    """Messages to try now: queued and due, or claimed by a worker whose lease ran out."""
    now = utcnow()
    stale = now - timedelta(seconds=int(current_app.config["MAIL_LEASE_SECONDS"]))
    return list(
        db.session.scalars(
            select(MailMessage.id)
            .where(_claimable(now, stale))
            .order_by(MailMessage.next_attempt_at, MailMessage.id)
            .limit(limit)
        )
    )


def _claimable(now: Any, stale: Any) -> Any:
    return or_(
        (MailMessage.status == MailStatus.QUEUED) & (MailMessage.next_attempt_at <= now),
        (MailMessage.status == MailStatus.SENDING) & (MailMessage.claimed_at < stale),
    )


def claim(message_id: int) -> MailMessage | None:
    """Take one message for this worker (committed), or None if another has it or it is done."""
    now = utcnow()
    stale = now - timedelta(seconds=int(current_app.config["MAIL_LEASE_SECONDS"]))
    result = db.session.execute(
        update(MailMessage)
        .where(MailMessage.id == message_id, _claimable(now, stale))
        .values(status=MailStatus.SENDING, claimed_at=now, attempts=MailMessage.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if _rowcount(result) != 1:
        return None
    return db.session.get(MailMessage, message_id, populate_existing=True)


def _finish(message: MailMessage, **values: Any) -> bool:
    """Update a message this worker still holds (same attempt); False if it was taken over."""
    result = db.session.execute(
        update(MailMessage)
        .where(
            MailMessage.id == message.id,
            MailMessage.status == MailStatus.SENDING,
            MailMessage.attempts == message.attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return _rowcount(result) == 1


def store_rendering(message: MailMessage, subject: str, text: str, html: str) -> None:
    """Keep what the first attempt rendered, so every retry sends the same message."""
    _finish(message, subject=subject[:300], body_text=text, body_html=html)


def mark_sent(message: MailMessage) -> bool:
    return _finish(message, status=MailStatus.SENT, sent_at=utcnow(), error=None)


def mark_skipped(message: MailMessage, reason: str) -> bool:
    return _finish(message, status=MailStatus.SKIPPED, error=reason)


def mark_failed(message: MailMessage, reason: str) -> bool:
    return _finish(message, status=MailStatus.FAILED, error=reason)


@dataclass(frozen=True)
class Retry:
    again: bool
    wait_seconds: int


def retry_later(message: MailMessage, reason: str) -> Retry:
    """Back to the queue with a growing wait (1, 2, 4... minutes), or failed when out of tries."""
    if message.attempts >= int(current_app.config["MAIL_MAX_ATTEMPTS"]):
        mark_failed(message, f"Gave up after {message.attempts} attempts: {reason}")
        return Retry(again=False, wait_seconds=0)
    wait = 60 * 2 ** (message.attempts - 1)
    _finish(
        message,
        status=MailStatus.QUEUED,
        next_attempt_at=utcnow() + timedelta(seconds=wait),
        claimed_at=None,
        error=reason,
    )
    return Retry(again=True, wait_seconds=wait)


def send(*, kind: str, to: str, data: dict[str, Any]) -> MailMessage:
    """Queue one message on its own and commit (mail asked for directly: a reset, a new link)."""
    message = queue_message(kind=kind, to=to, data=data)
    db.session.commit()
    return message


def status_counts() -> dict[str, int]:
    """Messages by status, for the dashboard (one query)."""
    from sqlalchemy import func

    rows = db.session.execute(
        select(MailMessage.status, func.count()).group_by(MailMessage.status)
    ).all()
    found = {MailStatus(status).value: int(count) for status, count in rows}
    return {status.value: found.get(status.value, 0) for status in MailStatus}


def purge_sent(*, older_than_days: int = 30) -> int:
    """Sent and skipped messages are history: keep a month of them for the dashboard."""
    from sqlalchemy import delete

    cutoff = utcnow() - timedelta(days=older_than_days)
    result = db.session.execute(
        delete(MailMessage).where(
            MailMessage.status.in_([MailStatus.SENT, MailStatus.SKIPPED]),
            MailMessage.created_at < cutoff,
        )
    )
    db.session.commit()
    return _rowcount(result)
