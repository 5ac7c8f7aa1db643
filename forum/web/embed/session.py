"""The widget's own sign-in: a partitioned cookie (CHIPS), handed over from a first-party window.

Why not Porch's session cookie: it is SameSite=Lax, so no browser sends it to a frame on another
site, and browsers that block third-party cookies would refuse it anyway. A cookie marked
`SameSite=None; Secure; Partitioned` is kept per top-level site ("partition"): the frame on
blog.example.org gets its own jar, which neither Porch's own pages nor any other site's frame
can see. Chromium keeps such cookies with third-party cookies blocked (tests/browser/test_embed.py
proves it); browsers that partition every cookie (Firefox) keep them as well.

How it gets there: the frame cannot run a sign-in itself (providers refuse to be framed, and
cookies set in the popup land in Porch's first-party jar, not the frame's partition). So:
1. "Sign in" in the frame opens /embed/signin in a popup with a random nonce: a first-party
   window, with the normal sign-in pages and providers.
2. Once signed in there, the popup posts a short-lived signed handoff code (the user's session
   token and the nonce) to its opener with targetOrigin = Porch's origin, so only a Porch frame
   can read it, then closes.
3. The frame (still Porch's origin) POSTs the code and nonce to /embed/session; the answer sets
   the partitioned cookie in the frame's partition. The Storage Access API is not used: it
   would need Porch's main session cookie to be SameSite=None, which weakens every other page.

CSRF: the partitioned cookie is ambient authority inside the frame, so every POST to an embed
endpoint must (a) come from Porch's own origin (Sec-Fetch-Site / Origin, checked for all POSTs
by forum.web.caching.origin) and (b) when the cookie signs someone in, carry `embed_csrf`, an
HMAC of this embed session's random id, which only pages rendered for this session contain.
The cookie holds User.session_token, so "sign out everywhere", a ban or a password change end
widget sessions too; "Sign out" in the widget deletes the cookie.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask import g
from flask import request
from itsdangerous import BadSignature
from itsdangerous import URLSafeTimedSerializer
from werkzeug.wrappers import Response

from forum.errors import Forbidden
from forum.extensions import login_manager
from forum.i18n import _
from forum.models import User
from forum.security.sessions import load_user

COOKIE = "porch_embed"
COOKIE_PATH = "/embed/"  # not /embed.js, not the rest of the site
CSRF_FIELD = "embed_csrf"
HANDOFF_MAX_AGE = timedelta(minutes=2)
SESSION_MAX_AGE = timedelta(days=30)
NONCE_MAX_LENGTH = 64
# Endpoints where the widget's cookie signs someone in; never the first-party sign-in window.
SIGNED_IN_ENDPOINTS = frozenset(
    {
        "embed.thread",
        "embed.reply",
        "embed.like",
        "embed.report",
        "embed.send_report",
        "embed.sign_out",
    }
)


@dataclass(frozen=True)
class EmbedSession:
    user: User
    sid: str  # random per widget sign-in; the CSRF token is derived from it


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"porch-embed-{purpose}")


def valid_nonce(nonce: str | None) -> bool:
    return bool(nonce) and len(nonce or "") <= NONCE_MAX_LENGTH and (nonce or "").isalnum()


def handoff_code(user: User, nonce: str) -> str:
    """What the first-party window gives its opener: good for two minutes, for this nonce."""
    return str(_serializer("handoff").dumps({"t": user.session_token, "n": nonce}))


def redeem(code: str, nonce: str) -> User | None:
    """The user a handoff code stands for, if it is genuine, fresh and made for this nonce."""
    data = _loads("handoff", code, HANDOFF_MAX_AGE)
    if data is None or not valid_nonce(nonce) or not hmac.compare_digest(str(data.get("n")), nonce):
        return None
    user: User | None = load_user(str(data.get("t")))
    return user


def _loads(purpose: str, value: str, max_age: timedelta) -> dict[str, object] | None:
    try:
        data = _serializer(purpose).loads(value, max_age=int(max_age.total_seconds()))
    except BadSignature:  # also SignatureExpired
        return None
    return data if isinstance(data, dict) else None


def start(response: Response, user: User) -> None:
    """Set the widget's partitioned session cookie on this (frame's) response."""
    value = _serializer("session").dumps({"t": user.session_token, "s": secrets.token_urlsafe(16)})
    response.set_cookie(
        COOKIE,
        str(value),
        max_age=int(SESSION_MAX_AGE.total_seconds()),
        path=COOKIE_PATH,
        secure=True,  # Partitioned requires it; browsers accept it from http://localhost too
        httponly=True,
        samesite="None",  # sent to the frame on another site; the partition keeps it there
        partitioned=True,
    )


def end(response: Response) -> None:
    """Delete the cookie (the same attributes, or the browser keeps the partitioned one)."""
    response.delete_cookie(
        COOKIE, path=COOKIE_PATH, secure=True, httponly=True, samesite="None", partitioned=True
    )


def current() -> EmbedSession | None:
    """The widget session this request's cookie proves, once per request."""
    if "porch_embed_session" not in g:
        g.porch_embed_session = _read_cookie()
    session: EmbedSession | None = g.porch_embed_session
    return session


def _read_cookie() -> EmbedSession | None:
    raw = request.cookies.get(COOKIE)
    data = _loads("session", raw, SESSION_MAX_AGE) if raw else None
    if data is None or not isinstance(data.get("s"), str):
        return None
    user: User | None = load_user(str(data.get("t")))
    return EmbedSession(user=user, sid=str(data["s"])) if user is not None else None


def csrf_token() -> str:
    """The token the frame's forms carry while the widget cookie signs someone in; else ""."""
    session = current()
    if session is None:
        return ""
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, f"embed-csrf|{session.sid}".encode(), hashlib.sha256).hexdigest()


def check_csrf() -> None:
    """Refuse a POST riding on the widget cookie without this session's token."""
    expected = csrf_token()
    if expected and not hmac.compare_digest(request.form.get(CSRF_FIELD, ""), expected):
        raise Forbidden(_("This form has expired. Reload the comments and try again."))


@login_manager.request_loader
def _user_from_widget_cookie(_request: object) -> User | None:
    """On the widget's own pages, with no first-party session, the widget cookie signs in."""
    if request.endpoint not in SIGNED_IN_ENDPOINTS:
        return None
    session = current()
    return session.user if session is not None else None
