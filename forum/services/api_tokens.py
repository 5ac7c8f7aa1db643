"""Personal API tokens: create (the secret shown once), revoke, and authenticate a secret."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select

from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import ApiToken
from forum.models import User
from forum.models.base import utcnow
from forum.security.policies import can_moderate

SCOPES = ("read", "write", "moderate")
PREFIX = "porch_"


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # the only time it is available


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(*, user: User, name: str, scopes: list[str]) -> NewToken:
    """A new token for the user; only its hash is stored."""
    name = name.strip()
    errors: dict[str, list[str]] = {}
    if not name or len(name) > 80:
        errors["name"] = [_("Give the token a name of 1 to 80 characters.")]
    wanted = [s for s in SCOPES if s in scopes]
    if not wanted or len(wanted) != len(set(scopes)):
        errors["scopes"] = [_("Choose one or more of read, write and moderate.")]
    if "moderate" in wanted and not can_moderate(user):
        errors["moderate"] = [_("Only moderators may give a token the moderate scope.")]
    if errors:
        raise InvalidInput(errors)
    secret = PREFIX + secrets.token_urlsafe(30)
    token = ApiToken(
        user=user,
        name=name,
        prefix=secret[: len(PREFIX) + 6],
        secret_hash=_digest(secret),
        scopes=" ".join(wanted),
    )
    db.session.add(token)
    db.session.commit()
    return NewToken(token=token, secret=secret)


def tokens_of(user: User) -> list[ApiToken]:
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    return list(db.session.scalars(query.order_by(ApiToken.created_at.desc(), ApiToken.id.desc())))


def revoke_token(*, user: User, token_id: int) -> None:
    """Revoke one of the user's own tokens; it stops working at once."""
    token = db.session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id or token.revoked_at is not None:
        raise NotFound(_("There is no such token."))
    token.revoked_at = utcnow()
    db.session.commit()


def authenticate(secret: str) -> ApiToken | None:
    """The live token with this secret, its last use noted; None when unknown or revoked."""
    if not secret.startswith(PREFIX):
        return None
    query = select(ApiToken).where(
        ApiToken.secret_hash == _digest(secret), ApiToken.revoked_at.is_(None)
    )
    token = db.session.scalar(query)
    if token is not None:
        token.last_used_at = utcnow()
        db.session.commit()
    return token
