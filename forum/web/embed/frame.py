"""What an embed frame carries instead of cookies, and the headers that let allowed sites frame it.

Browsers that block third-party cookies send none to the frame, so a guest's identity (to show
them their own held reply) travels as a signed token in the frame's links and form.
"""

from __future__ import annotations

import secrets

from flask import Response
from flask import current_app
from flask import request
from itsdangerous import BadSignature
from itsdangerous import URLSafeSerializer

from forum.models import User
from forum.security import oidc
from forum.security.actor import Actor
from forum.web.actor import signed_in_user
from forum.web.hooks import content_security_policy

_SALT = "porch-embed-frame"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def frame_token(signed: str | None) -> str:
    """The guest token inside a signed value, or a new one when it is missing or forged."""
    if signed:
        try:
            token = _serializer().loads(signed)
        except BadSignature:
            token = None
        if isinstance(token, str) and token:
            return token
    return secrets.token_urlsafe(24)


def sign(token: str) -> str:
    return str(_serializer().dumps(token))


def frame_actor(token: str) -> Actor:
    user: User | None = signed_in_user()
    return Actor(
        user=user,
        guest_token=token,
        ip_address=request.remote_addr,
        user_agent=request.user_agent.string or None,
    )


def allowed_origins() -> list[str]:
    return list(current_app.config["EMBED_ORIGINS"])


# What the frame shows (its pages and the answers to its forms). The script and the counts are
# fetched, never framed, and the sign-in window is first-party: they keep frame-ancestors 'none'.
FRAMED_ENDPOINTS = frozenset(
    {
        "embed.thread",
        "embed.reply",
        "embed.like",
        "embed.report",
        "embed.send_report",
        "embed.claim",
        "embed.sign_out",
    }
)


def frame_headers(response: Response) -> Response:
    """Allowed sites may frame these pages; nobody caches them (they carry a visitor's token).

    The sign-in window is never framed: it hands out a code for the signed-in user.
    """
    if request.endpoint in FRAMED_ENDPOINTS:
        ancestors = " ".join(allowed_origins()) or "'none'"
        sign_in = oidc.authorization_origins(current_app.config)
        response.headers["Content-Security-Policy"] = content_security_policy(sign_in, ancestors)
    response.headers.setdefault("Cache-Control", "private, no-store")
    return response


def cors_headers(response: Response) -> Response:
    """Counts may be read by scripts on exactly the allowed sites."""
    origin = (request.headers.get("Origin") or "").rstrip("/").lower()
    response.headers.add("Vary", "Origin")
    if origin and origin in allowed_origins():
        response.headers["Access-Control-Allow-Origin"] = origin
    return response
