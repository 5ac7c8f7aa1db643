"""Emailed links: confirming an address and resetting a password."""

from __future__ import annotations

import hashlib
from typing import Any

from flask import current_app
from flask import url_for

from forum.mail import send_mail
from forum.models import User
from forum.security.tokens import make_token

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
    if user.email is None:
        return
    token = make_token(VERIFY_PURPOSE, {"uid": user.id, "email": user.email})
    link = external_url("passwords.verify", token=token)
    site = current_app.config["SITE_NAME"]
    send_mail(
        to=user.email,
        subject=f"Confirm your email address for {site}",
        body=f"Hello {user.display_name},\n\nPlease confirm this address by opening:\n\n{link}\n\n"
        "If you did not sign up, ignore this message.\n",
    )


def send_password_reset(user: User) -> None:
    if user.email is None:
        return
    token = make_token(RESET_PURPOSE, {"uid": user.id, "fp": password_fingerprint(user)})
    link = external_url("passwords.reset", token=token)
    hours = current_app.config["RESET_TOKEN_MAX_AGE"] // 3600 or 1
    send_mail(
        to=user.email,
        subject=f"Reset your {current_app.config['SITE_NAME']} password",
        body=f"Hello {user.display_name},\n\nTo choose a new password, open this link within "
        f"{hours} hour(s):\n\n{link}\n\n"
        "It works once. If you did not ask for it, ignore this message.\n",
    )


def send_guest_email_confirmation(email: str) -> None:
    """Once a guest confirms their address, their later replies skip the first-reply hold."""
    token = make_token(GUEST_EMAIL_PURPOSE, {"email": email.lower()})
    link = external_url("passwords.confirm_guest_email", token=token)
    send_mail(
        to=email,
        subject=f"Confirm your email for {current_app.config['SITE_NAME']}",
        body="Hello,\n\nThank you for your reply. It waits for a moderator, as first "
        "replies do. Confirm this address and, once a reply of yours is approved, your next ones "
        f"appear at once:\n\n{link}\n\nIf you did not write a reply, ignore this message.\n",
    )
