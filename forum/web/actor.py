"""The Actor for the current request, and the guest browser token behind it."""

from __future__ import annotations

import secrets

from flask import request
from flask import session
from flask_login import current_user

from forum.models import User
from forum.security.actor import Actor

GUEST_TOKEN_KEY = "guest_token"  # nosec B105  # a session key's name, no secret
REMEMBERED_GUEST_KEY = "remembered_guest"


def signed_in_user() -> User | None:
    user = current_user._get_current_object()  # unwrap the LocalProxy for type checks
    return user if isinstance(user, User) else None


def guest_token(create: bool = False) -> str | None:
    """A random id for this browser, kept in the signed session cookie."""
    token = session.get(GUEST_TOKEN_KEY)
    if token is None and create:
        token = secrets.token_urlsafe(24)
        session[GUEST_TOKEN_KEY] = token
        session.permanent = True
    return token


def current_actor(create_guest_token: bool = False) -> Actor:
    return Actor(
        user=signed_in_user(),
        guest_token=guest_token(create=create_guest_token),
        ip_address=request.remote_addr,
        user_agent=request.user_agent.string or None,
    )


def remembered_guest() -> dict[str, str]:
    value = session.get(REMEMBERED_GUEST_KEY)
    return value if isinstance(value, dict) else {}


def remember_guest(name: str, email: str, url: str | None, remember: bool) -> None:
    """Keep the guest's details for the next form only when they ticked "remember me"."""
    if remember:
        session[REMEMBERED_GUEST_KEY] = {"name": name, "email": email, "url": url or ""}
    else:
        session.pop(REMEMBERED_GUEST_KEY, None)
