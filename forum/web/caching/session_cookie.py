"""The session cookie: Flask's signed cookie, set only when it has something new to say.

Flask re-signs and re-sends a permanent session's cookie on every response, to move its expiry
on; on a member's page that was a twentieth of the work. Here the cookie is re-sent when the
session changed, when it was signed over a day ago (a 90-day session still never ends while
its member comes back), or when only an old secret key (a fallback) still vouches for it, so
that it moves to the current key before the old one is retired. Public pages never set it.
"""

from __future__ import annotations

import hmac
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

from flask.sessions import SecureCookieSession
from flask.sessions import SecureCookieSessionInterface
from flask.sessions import SessionMixin
from itsdangerous import BadSignature
from itsdangerous import URLSafeTimedSerializer

from forum.web.caching.pages import is_public_response

REFRESH_AFTER = timedelta(days=1)


class Session(SecureCookieSession):
    """Flask's session, knowing when its cookie was signed and whether by the current key."""

    signed_at: datetime | None = None
    signed_by_old_key = False


class SessionInterface(SecureCookieSessionInterface):
    """The cookie's signers are built once per set of keys, not twice per request (they hold
    no state of a request)."""

    session_class = Session

    def __init__(self) -> None:
        self._signers: dict[tuple[Any, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Any) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._signers:
            self._signers = {keys: super().get_signing_serializer(app)}  # keys rarely change
        return self._signers[keys]

    def open_session(self, app: Any, request: Any) -> Session | None:
        """As Flask's, noting when the cookie was signed and by which key."""
        signer = self.get_signing_serializer(app)
        if signer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return Session()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed_at = signer.loads(cookie, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return Session()
        session = Session(data)
        session.signed_at = signed_at
        if app.config["SECRET_KEY_FALLBACKS"]:  # only then can another key have signed it
            session.signed_by_old_key = not _signed_by_current_key(signer, cookie)
        return session

    def should_set_cookie(self, app: Any, session: SessionMixin) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at: datetime | None = getattr(session, "signed_at", None)
        if signed_at is None or getattr(session, "signed_by_old_key", False):
            return True
        return datetime.now(UTC) - signed_at >= REFRESH_AFTER

    def save_session(self, app: Any, session: SessionMixin, response: Any) -> None:
        if is_public_response():
            return
        super().save_session(app, session, response)


def _signed_by_current_key(signer: URLSafeTimedSerializer, cookie: str) -> bool:
    """The serializer signs with its newest key and accepts any: is the signature the newest's?"""
    unsigner = signer.make_signer()
    value, _, signature = cookie.encode().rpartition(unsigner.sep)
    return hmac.compare_digest(signature, unsigner.get_signature(value))
