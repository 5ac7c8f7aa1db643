"""The moderators' daily digest, for `porch digest` and the worker's daily schedule.

Every other mail is queued by the service that causes it (forum/services/mail/).
"""

from __future__ import annotations

import logging

from forum.mail import tasks
from forum.services.mail import moderators

log = logging.getLogger(__name__)


def send_digest() -> int:
    """Queue the digest to moderators and send it now; returns how many were queued."""
    queued = moderators.queue_digest()
    if queued:
        tasks.run_once()
    log.info("moderation digest queued for %d moderators", queued)
    return queued
