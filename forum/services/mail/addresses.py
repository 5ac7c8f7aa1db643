"""Addresses that bounce (hard failures reported at once) or asked for no more mail."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select

from forum.extensions import db
from forum.models import MailAddress
from forum.models.base import utcnow

# What a person asked for, or what keeps an account usable: sent even after 'stop all mail'.
ALWAYS_SENT = frozenset({"verify_email", "password_reset", "guest_confirm"})


def normalise(email: str) -> str:
    return email.strip().lower()


def _row(email: str) -> MailAddress:
    address = normalise(email)
    row = db.session.get(MailAddress, address)
    if row is None:
        row = MailAddress(email=address, hard_failures=0)
        db.session.add(row)
    return row


def blocked_reason(email: str, kind: str) -> str | None:
    """Why no mail of this kind goes to the address, or None. Confirmations always go."""
    row = db.session.get(MailAddress, normalise(email))
    if row is None or kind in ALWAYS_SENT:
        return None
    if row.bouncing_at is not None:
        return "The address bounces; it gets no mail until it is confirmed again."
    if row.stopped_at is not None:
        return "The address asked for no more mail from this site."
    return None


def record_hard_failure(email: str, reason: str) -> bool:
    """Count a refusal the server gave at once; True when the address now counts as bouncing."""
    row = _row(email)
    row.hard_failures = (row.hard_failures or 0) + 1
    row.last_error = reason[:2000]
    if row.hard_failures >= int(current_app.config["MAIL_BOUNCE_LIMIT"]) and not row.bouncing_at:
        row.bouncing_at = utcnow()
    db.session.commit()
    return row.bouncing_at is not None


def confirmed_again(email: str) -> None:
    """The owner proved the mailbox works (a confirmation link): mail flows again (no commit)."""
    row = db.session.get(MailAddress, normalise(email))
    if row is not None:
        row.hard_failures = 0
        row.bouncing_at = None
        row.stopped_at = None


def stop_all(email: str) -> None:
    """'Stop all mail from this site' (no commit)."""
    row = _row(email)
    row.stopped_at = row.stopped_at or utcnow()


def bouncing(limit: int = 50) -> list[MailAddress]:
    """For the moderator dashboard: addresses mail no longer goes to, newest first."""
    return list(
        db.session.scalars(
            select(MailAddress)
            .where(MailAddress.bouncing_at.is_not(None))
            .order_by(MailAddress.bouncing_at.desc())
            .limit(limit)
        )
    )


def unusable(addresses: set[str]) -> set[str]:
    """Of these addresses, those that bounce or stopped all mail (one query)."""
    if not addresses:
        return set()
    rows = db.session.scalars(
        select(MailAddress.email).where(
            MailAddress.email.in_(addresses),
            MailAddress.bouncing_at.is_not(None) | MailAddress.stopped_at.is_not(None),
        )
    )
    return set(rows)
