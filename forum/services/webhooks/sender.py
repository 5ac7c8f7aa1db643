"""Sending one claimed delivery: the signed POST, and what its answer means.

Signature: `X-Porch-Signature: sha256=<hex>` where hex is the HMAC-SHA256, keyed with the
webhook's secret, of `<X-Porch-Timestamp>.<raw body>`; receivers reject old timestamps.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass

import requests
from flask import current_app

from forum.extensions import db
from forum.i18n import _
from forum.models import Webhook
from forum.models import WebhookDelivery
from forum.security import outgoing
from forum.services.webhooks import deliveries
from forum.services.webhooks.addresses import refusal

log = logging.getLogger(__name__)
EXCERPT = 500


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """The X-Porch-Signature value for this body sent at this time."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps(delivery.payload, separators=(",", ":"), sort_keys=True).encode()


@dataclass(frozen=True)
class Answer:
    code: int | None
    text: str


def post(hook: Webhook, delivery: WebhookDelivery) -> Answer:
    """POST the signed body to the checked address; never follows redirects.

    Raises outgoing.Refused when the address is not allowed (any more), and
    requests.RequestException when the receiver cannot be reached.
    """
    body = body_of(delivery)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "Porch-Webhook/1",
        "X-Porch-Event": delivery.event,
        "X-Porch-Delivery": str(delivery.id),
        "X-Porch-Timestamp": timestamp,
        "X-Porch-Signature": sign(hook.secret, timestamp, body),
    }
    timeout = float(current_app.config["WEBHOOK_TIMEOUT"])
    response = outgoing.request(
        "POST",
        hook.url,
        allow=outgoing.allowed_networks(),
        data=body,
        headers=headers,
        timeout=timeout,
    )
    return Answer(response.status_code, response.text[:EXCERPT])


def deliver(delivery: WebhookDelivery) -> bool:
    """One claimed delivery: delivered on 2xx, otherwise retried later or failed with why."""
    hook = db.session.get(Webhook, delivery.webhook_id)
    if hook is None or not hook.active:
        deliveries.mark_failed(delivery, "The webhook was removed or turned off.")
        return False
    allow = bool(current_app.config["WEBHOOK_ALLOW_HTTP_LOOPBACK"])
    if reason := refusal(hook.url, allow_http_loopback=allow):
        deliveries.mark_failed(delivery, _("Not sent: %(reason)s", reason=reason))
        return False
    try:
        answer = post(hook, delivery)
    except outgoing.Refused as refused:  # the name now points somewhere Porch may not call
        deliveries.mark_failed(delivery, _("Not sent: %(reason)s", reason=str(refused)))
        return False
    except requests.RequestException as error:
        deliveries.retry_later(delivery, f"{type(error).__name__}: {error}"[:EXCERPT], None)
        return False
    if answer.code is not None and 200 <= answer.code < 300:
        if not deliveries.mark_delivered(delivery, answer.code, answer.text):
            log.warning("webhook delivery %s was sent after its lease ran out", delivery.id)
        return True
    deliveries.retry_later(delivery, answer.text or f"HTTP {answer.code}", answer.code)
    return False


def deliver_due(limit: int = 100) -> int:
    """Send what is due now; returns how many were delivered by this call."""
    delivered = 0
    for delivery_id in deliveries.due_ids(limit):
        delivery = deliveries.claim(delivery_id)
        if delivery is not None and deliver(delivery):
            delivered += 1
    return delivered
