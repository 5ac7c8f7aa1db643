"""Mail to moderators through the outbox: the daily digest of waiting replies."""

from __future__ import annotations

from forum.extensions import db
from forum.services import site_settings
from forum.services.mail.outbox import queue_message
from forum.services.moderation.admin import staff
from forum.services.moderation.queue import Tab
from forum.services.moderation.queue import counts


def queue_digest() -> int:
    """When chosen and replies wait: one digest per moderator with a confirmed email."""
    settings = site_settings.moderation_settings()
    waiting = counts()
    if not settings.daily_digest or not (waiting[Tab.PENDING] or waiting[Tab.FLAGGED]):
        return 0
    queued = 0
    for moderator in staff():
        if moderator.email_verified and moderator.email:
            queue_message(kind="mod_digest", to=moderator.email, data={})
            queued += 1
    db.session.commit()
    return queued
