"""The sending loop: claim due outbox rows, render once, send, and mark each exactly once."""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from contextlib import nullcontext
from typing import Any

from flask import current_app
from flask import has_request_context

from forum.extensions import db
from forum.mail import render
from forum.mail import transport
from forum.models import MailMessage
from forum.services.mail import addresses
from forum.services.mail import outbox

log = logging.getLogger(__name__)


def site_context() -> AbstractContextManager[Any]:
    """Links in mail point at PORCH_SITE_URL; a request being served already knows its host."""
    if has_request_context():
        return nullcontext()
    base_url = current_app.config["SITE_URL"] or "http://localhost/"
    return current_app.test_request_context(base_url=base_url)


def deliver_due(limit: int = 100) -> int:
    """Send what is due now; returns how many were delivered by this call."""
    delivered = 0
    with site_context():
        for message_id in outbox.due_ids(limit):
            message = outbox.claim(message_id)
            if message is not None and deliver(message):
                delivered += 1
    return delivered


def deliver(message: MailMessage) -> bool:
    """One claimed message: skipped, sent, retried later or failed with the reason kept."""
    blocked = addresses.blocked_reason(message.to_address, message.kind)
    if blocked:
        outbox.mark_skipped(message, blocked)
        return False
    try:
        if message.body_text is None:
            outbox.store_rendering(message, *render.render(message))
        email = render.build(message)
    except render.NothingToSay as nothing:
        outbox.mark_skipped(message, str(nothing))
        return False
    except Exception as error:  # a broken template must not stop the other messages
        db.session.rollback()
        log.exception("could not render mail %s", message.id)
        outbox.mark_failed(message, f"Could not render: {type(error).__name__}: {error}")
        return False
    config = current_app.config
    outcome = transport.send(
        email,
        smtp_url=config["SMTP_URL"],
        mail_dir=config["MAIL_DIR"],
        timeout=int(config["SMTP_TIMEOUT"]),
    )
    return _settle(message, outcome)


def _settle(message: MailMessage, outcome: transport.Outcome) -> bool:
    if outcome.delivered:
        if not outbox.mark_sent(message):
            log.warning("mail %s was sent after its lease ran out", message.id)
        return True
    if outcome.permanent:
        outbox.mark_failed(message, outcome.reason)
        if outcome.bounce:
            addresses.record_hard_failure(message.to_address, outcome.reason)
        log.warning("mail %s to %s refused: %s", message.id, message.to_address, outcome.reason)
        return False
    retry = outbox.retry_later(message, outcome.reason)
    log.info("mail %s: %s; retry=%s in %ss", message.id, outcome.reason, *vars(retry).values())
    return False
