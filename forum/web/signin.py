"""Starting and ending signed-in sessions, and where to go afterwards."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import session
from flask_login import login_user
from flask_login import logout_user

from forum.models import User
from forum.web.actor import GUEST_TOKEN_KEY

SIGNED_IN_VIA_KEY = "signed_in_via"  # provider name, or "password"
PENDING_LINK_KEY = (
    "pending_identity"  # a provider sign-in waiting for its account's owner to prove it
)


def start_session(user: User, via: str) -> None:
    """A fresh session for the signed-in user: old CSRF tokens and flow state are dropped."""
    kept = {key: session[key] for key in (GUEST_TOKEN_KEY, PENDING_LINK_KEY) if key in session}
    session.clear()
    session.update(kept)
    login_user(user)
    session[SIGNED_IN_VIA_KEY] = via
    session.permanent = True


def end_session() -> None:
    logout_user()
    session.clear()


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site: never another host, scheme-relative URL or backslash trick."""
    if not target or "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target
