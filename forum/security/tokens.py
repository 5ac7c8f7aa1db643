"""Signed, expiring tokens for links sent by email (password reset, email confirmation)."""

from __future__ import annotations

from typing import Any

from flask import current_app
from itsdangerous import BadSignature
from itsdangerous import SignatureExpired
from itsdangerous import URLSafeTimedSerializer

from forum.i18n import _


class TokenInvalid(Exception):
    """The link is broken, forged, used up or expired; `message` says which, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    # The purpose is the salt, so a token made for one job is useless for another.
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"porch.{purpose}")


def make_token(purpose: str, payload: dict[str, Any]) -> str:
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str, max_age: int) -> dict[str, Any]:
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as error:
        raise TokenInvalid(_("This link has expired. Ask for a new one.")) from error
    except BadSignature as error:
        raise TokenInvalid(_("This link is not valid. Check that you copied all of it.")) from error
    if not isinstance(payload, dict):
        raise TokenInvalid(_("This link is not valid."))
    return payload
