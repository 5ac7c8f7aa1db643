"""Huey tasks for mail: a trigger after each commit that queued mail, and a sweep every minute.

The rows are the record; a lost trigger only delays mail until the next minute's sweep.
"""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from forum.deferred import periodic_task
from forum.deferred import task
from forum.extensions import db
from forum.mail import worker
from forum.models.base import utcnow
from forum.services import jobs
from forum.services.mail import events
from forum.services.mail import gather
from forum.services.mail import outbox
from forum.services.mail.outbox import KICK

log = logging.getLogger(__name__)


def run_once() -> int:
    """Fan events out, gather pending notices, send what is due; returns messages delivered."""
    db.session.info.pop(KICK, None)
    events.process_pending()
    gather.send_due()
    return worker.deliver_due()


@task()
def process_mail() -> None:
    run_once()


@periodic_task(crontab(minute="*"))
def mail_every_minute() -> None:
    """Also announces posts whose scheduled time passed, and retries what waited."""
    events.announce_live_posts()
    run_once()


def trigger() -> None:
    """Enqueue the work after a commit that queued mail (inline in tests, no worker)."""
    try:
        process_mail()
    except Exception:  # the rows are safe; the minute's sweep sends them
        db.session.rollback()
        log.exception("could not trigger mail; the next sweep sends it")


@periodic_task(crontab(minute="5"))
def subscribers_daily_digest() -> None:
    """Digest-mode subscriptions: once a day at PORCH_DIGEST_HOUR, across any number of workers."""
    if utcnow().hour != int(current_app.config["DIGEST_HOUR"]):
        return
    send_daily_once()


def send_daily_once() -> int | None:
    job = jobs.claim_once(kind="mail-digest", key=f"mail-digest:{utcnow().date().isoformat()}")
    if job is None:
        return None
    queued = gather.send_daily()
    run_once()
    outbox.purge_sent()
    jobs.finish(job, {"queued": queued})
    return queued
