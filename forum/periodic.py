"""Periodic work on Huey's scheduler (no cron): the moderators' daily digest, the job sweep."""

from __future__ import annotations

import logging

from flask import current_app
from huey import crontab

from forum.deferred import periodic_task
from forum.models.base import utcnow
from forum.services import jobs

log = logging.getLogger(__name__)


@periodic_task(crontab(minute="*/5"))
def sweep_jobs() -> None:
    """Requeue or fail jobs whose worker died; retrigger queued jobs nobody picked up."""
    config = current_app.config
    done = jobs.sweep(
        stale_seconds=int(config["JOB_STALE_SECONDS"]), max_attempts=int(config["JOB_MAX_ATTEMPTS"])
    )
    if done.requeued or done.failed or done.retriggered:
        log.info("job sweep: requeued %s, failed %s, retriggered %s", *vars(done).values())


@periodic_task(crontab(minute="0"))
def daily_digest() -> None:
    """Send the digest once a day, whichever of several workers' schedulers fires first."""
    if utcnow().hour != int(current_app.config["DIGEST_HOUR"]):
        return
    send_digest_once()


def send_digest_once() -> int | None:
    """The day's digest, claimed through a job row keyed by the date; None if already sent."""
    from forum.web.notifications import send_digest

    job = jobs.claim_once(kind="digest", key=f"digest:{utcnow().date().isoformat()}")
    if job is None:
        return None
    base_url = current_app.config["SITE_URL"] or "http://localhost/"
    with current_app.test_request_context(base_url=base_url):
        sent = send_digest()
    jobs.finish(job, {"sent": sent})
    return sent


@periodic_task(crontab(minute="20"))
def refit_spam_thresholds() -> None:
    """Re-fit the spam filter's calibration on the site's decisions, once an hour across workers."""
    from forum.services.moderation.spam_refit import refit_thresholds

    job = jobs.claim_once(kind="spam-refit", key=f"spam-refit:{utcnow():%Y-%m-%dT%H}")
    if job is None:
        return
    calibration = refit_thresholds()
    spam, honest = calibration.decisions
    jobs.finish(job, {"spam_decisions": spam, "honest_decisions": honest})
