"""Claiming and marking webhook deliveries: the mail outbox's shape (guarded UPDATEs, a lease).

A worker claims a row with a guarded UPDATE (queued and due, or sending with an expired lease),
so two workers never send one row; marks are guarded by the attempt number the claim set.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import current_app
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update

from forum.extensions import db
from forum.models import DeliveryStatus
from forum.models import WebhookDelivery
from forum.models.base import utcnow
from forum.services.mail.outbox import Retry
from forum.services.mail.outbox import _rowcount

QUEUED, SENDING = DeliveryStatus.QUEUED, DeliveryStatus.SENDING


def _claimable() -> Any:
    now = utcnow()
    stale = now - timedelta(seconds=int(current_app.config["WEBHOOK_LEASE_SECONDS"]))
    return or_(
        (WebhookDelivery.status == QUEUED) & (WebhookDelivery.next_attempt_at <= now),
        (WebhookDelivery.status == SENDING) & (WebhookDelivery.claimed_at < stale),
    )


def due_ids(limit: int = 100) -> list[int]:
    """Deliveries to try now: queued and due, or claimed by a worker whose lease ran out."""
    query = (
        select(WebhookDelivery.id)
        .where(_claimable())
        .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
        .limit(limit)
    )
    return list(db.session.scalars(query))


def claim(delivery_id: int) -> WebhookDelivery | None:
    """Take one delivery for this worker (committed), or None if another has it or it is done."""
    result = db.session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id == delivery_id, _claimable())
        .values(status=SENDING, claimed_at=utcnow(), attempts=WebhookDelivery.attempts + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    if _rowcount(result) != 1:
        return None
    return db.session.get(WebhookDelivery, delivery_id, populate_existing=True)


def _finish(delivery: WebhookDelivery, **values: Any) -> bool:
    """Update a delivery this worker still holds (same attempt); False if it was taken over."""
    result = db.session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery.id,
            WebhookDelivery.status == SENDING,
            WebhookDelivery.attempts == delivery.attempts,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return _rowcount(result) == 1


def mark_delivered(delivery: WebhookDelivery, code: int, answer: str) -> bool:
    return _finish(
        delivery,
        status=DeliveryStatus.DELIVERED,
        delivered_at=utcnow(),
        last_status_code=code,
        last_error=answer,
    )


def mark_failed(delivery: WebhookDelivery, reason: str, code: int | None = None) -> bool:
    return _finish(delivery, status=DeliveryStatus.FAILED, last_status_code=code, last_error=reason)


def retry_later(delivery: WebhookDelivery, reason: str, code: int | None) -> Retry:
    """Back to the queue after 1, 2, 4... minutes, or failed with the reason when out of tries."""
    if delivery.attempts >= int(current_app.config["WEBHOOK_MAX_ATTEMPTS"]):
        mark_failed(delivery, f"Gave up after {delivery.attempts} attempts: {reason}", code)
        return Retry(again=False, wait_seconds=0)
    wait = 60 * 2 ** (delivery.attempts - 1)
    _finish(
        delivery,
        status=QUEUED,
        next_attempt_at=utcnow() + timedelta(seconds=wait),
        claimed_at=None,
        last_status_code=code,
        last_error=reason,
    )
    return Retry(again=True, wait_seconds=wait)
