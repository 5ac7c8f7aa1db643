"""Huey tasks for webhooks: a trigger after each commit that queued deliveries, a minute sweep.

The rows are the record; a lost trigger only delays a delivery until the next minute's sweep.
"""

from __future__ import annotations

import logging

from huey import crontab

from forum.deferred import periodic_task
from forum.deferred import task
from forum.extensions import db
from forum.services.webhooks.events import KICK
from forum.services.webhooks.sender import deliver_due

log = logging.getLogger(__name__)


def run_once() -> int:
    db.session.info.pop(KICK, None)
    return deliver_due()


@task()
def send_webhooks() -> None:
    run_once()


@periodic_task(crontab(minute="*"))
def webhooks_every_minute() -> None:
    """Retries whose wait is over, and deliveries whose trigger was lost."""
    run_once()


def trigger() -> None:
    """Enqueue the sending after a commit that queued deliveries (inline in tests)."""
    try:
        send_webhooks()
    except Exception:  # the rows are safe; the minute's sweep sends them
        db.session.rollback()
        log.exception("could not trigger webhooks; the next sweep sends them")
