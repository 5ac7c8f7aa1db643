"""Emailed links: confirming an address and resetting a password (sent through the outbox)."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from flask import url_for

from forum.models import User
from forum.services.mail import outbox

VERIFY_PURPOSE = "verify-email"
GUEST_EMAIL_PURPOSE = "confirm-guest-email"
RESET_PURPOSE = "reset-password"


def password_fingerprint(user: User) -> str:
    """Changes whenever the password does, so a used reset link stops working."""
    return hashlib.sha256((user.password_hash or "no-password").encode()).hexdigest()[:16]


def external_url(endpoint: str, **values: Any) -> str:
    """An absolute URL, on PORCH_SITE_URL when set (behind a proxy the Host may differ)."""
    site = current_app.config["SITE_URL"]
    if site:
        return str(site).rstrip("/") + url_for(endpoint, **values)
    return url_for(endpoint, _external=True, **values)


def send_verification(user: User) -> None:
    """Queued in the outbox; the worker renders the link (templates/mail/verify_email.*)."""
    if user.email is not None:
        outbox.send(kind="verify_email", to=user.email, data={"uid": user.id, "email": user.email})


def send_password_reset(user: User) -> None:
    if user.email is not None:
        outbox.send(kind="password_reset", to=user.email, data={"uid": user.id})


def send_guest_email_confirmation(email: str) -> None:
    """Once a guest confirms their address, their later replies skip the first-reply hold."""
    outbox.send(kind="guest_confirm", to=email, data={"email": email.lower()})
