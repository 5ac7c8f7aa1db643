"""Emails that follow moderation: to moderators when replies wait, to authors when approved.

They live in the web layer because they carry links, and links need the site's address.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from flask import current_app
from limits import parse
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from forum.mail import send_mail
from forum.models import Reply
from forum.models import ReplyStatus
from forum.services import accounts
from forum.services import site_settings
from forum.services.moderation.admin import staff
from forum.services.moderation.queue import Tab
from forum.services.moderation.queue import counts
from forum.web.verification import external_url
from forum.web.verification import send_guest_email_confirmation

log = logging.getLogger(__name__)
_ONE_A_DAY = parse("1/day")
_FIVE_A_DAY = parse("5/day")


def reply_posted(reply: Reply) -> None:
    """A held guest is asked to confirm their email; moderators hear of held replies."""
    if reply.held_reason == "first_time" and reply.guest_email:
        email = reply.guest_email.lower()
        if not accounts.guest_email_confirmed(email) and _may_mail_guest(email, reply.ip_address):
            send_guest_email_confirmation(email)
    _tell_moderators(reply)


def _may_mail_guest(email: str, ip: str | None) -> bool:
    """Anyone can type any address: at most one confirmation a day to it, a few per sender.

    Counted in the rate-limit storage, so every worker (and Redis, when set) shares the count.
    """
    counter = _mail_counter()
    per_address = counter.hit(_ONE_A_DAY, "guest-confirmation", email)
    per_sender = counter.hit(_FIVE_A_DAY, "guest-confirmation-ip", ip or "unknown")
    return per_address and per_sender


def _mail_counter() -> FixedWindowRateLimiter:
    """Counts mails in the rate-limit storage (memory, or Redis shared by all workers)."""
    counter = current_app.extensions.get("porch_mail_counter")
    if counter is None:
        storage = storage_from_string(current_app.config["RATELIMIT_STORAGE_URI"])
        counter = current_app.extensions["porch_mail_counter"] = FixedWindowRateLimiter(storage)
    return counter


def _tell_moderators(reply: Reply) -> None:
    """At once, unless they chose a daily digest; only replies that wait (spam waits for none)."""
    settings = site_settings.moderation_settings()
    if (
        reply.status is not ReplyStatus.PENDING
        or not settings.notify_moderators
        or settings.daily_digest
    ):
        return
    link = external_url("moderation.item", reply_id=reply.id)
    why = reply.held_reason or reply.status.value
    _mail_staff(
        subject=f"A reply waits for moderation on “{reply.post.title}”",
        body=f"{reply.author_name} wrote (held: {why}):\n\n"
        f"{reply.body_source[:1000]}\n\nDecide here: {link}\n",
    )


def replies_approved(replies: Iterable[Reply]) -> None:
    """Tell each author who asked that their reply is now public."""
    for reply in replies:
        email = reply.author.email if reply.author is not None else reply.guest_email
        if not reply.notify_author or not email:
            continue
        link = external_url("threads.permalink", slug=reply.post.slug, reply_id=reply.id)
        send_mail(
            to=email,
            subject=f"Your reply on “{reply.post.title}” is published",
            body=f"Hello {reply.author_name},\n\nA moderator approved your reply. It is here:\n\n"
            f"{link}\n",
        )


def send_digest() -> int:
    """The daily digest to moderators, when chosen and replies wait; returns mails sent."""
    settings = site_settings.moderation_settings()
    waiting = counts()
    if not settings.daily_digest or not (waiting[Tab.PENDING] or waiting[Tab.FLAGGED]):
        return 0
    link = external_url("moderation.index")
    sent = _mail_staff(
        subject=f"{waiting[Tab.PENDING]} replies wait for moderation",
        body=f"Pending: {waiting[Tab.PENDING]}\nReported: {waiting[Tab.FLAGGED]}\n\n{link}\n",
    )
    log.info("moderation digest sent to %d moderators", sent)
    return sent


def _mail_staff(*, subject: str, body: str) -> int:
    """The same message to every moderator and admin with a confirmed email; returns how many."""
    sent = 0
    for moderator in staff():
        if moderator.email_verified and moderator.email:
            send_mail(to=moderator.email, subject=subject, body=body)
            sent += 1
    return sent
