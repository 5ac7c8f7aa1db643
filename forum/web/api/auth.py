"""Who calls the API: a personal token (Bearer, scoped) or the browser's session (CSRF-checked)."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g
from flask import request

from forum.errors import DomainError
from forum.extensions import csrf
from forum.i18n import _
from forum.models import User
from forum.security.actor import Actor
from forum.security.policies import can_moderate
from forum.services import api_tokens
from forum.web.actor import current_actor
from forum.web.actor import signed_in_user
from forum.web.api.spec import OPERATIONS
from forum.web.caching.origin import UNSAFE_METHODS
from forum.web.caching.origin import same_origin


class ApiError(DomainError):
    """An API refusal with its own stable code."""

    def __init__(self, status: int, api_code: str, message: str) -> None:
        super().__init__(message)
        self.status_code = status
        self.api_code = api_code


@dataclass(frozen=True)
class Caller:
    user: User | None
    scopes: frozenset[str]
    by_token: bool


def caller() -> Caller:
    found: Caller = g.api_caller
    return found


def load_caller() -> None:
    """before_request: authenticate, check CSRF for session writes, then the scope."""
    _refuse_nul()
    header = request.headers.get("Authorization")
    if header is not None:
        g.api_caller = _token_caller(header)
    else:
        user = signed_in_user()
        scopes = {"read", "write"} | ({"moderate"} if can_moderate(user) else set())
        g.api_caller = Caller(user=user, scopes=frozenset(scopes), by_token=False)
        if request.method in UNSAFE_METHODS and same_origin() is not True:
            csrf.protect()  # no proof from the browser: the Flask-WTF token must be sent
    _check_scope()


def _refuse_nul() -> None:
    """No NUL in addresses or parameters: PostgreSQL text cannot hold it (a 400, not a 500)."""
    values = [*(request.view_args or {}).values(), *request.args.values()]
    if any(isinstance(v, str) and "\x00" in v for v in values):
        raise ApiError(
            400, "bad_request", _("The address or a parameter contains a NUL character.")
        )


def _token_caller(header: str) -> Caller:
    scheme, _space, secret = header.partition(" ")
    token = api_tokens.authenticate(secret.strip()) if scheme.lower() == "bearer" else None
    if token is None:
        raise ApiError(401, "invalid_token", _("The API token is unknown, revoked or malformed."))
    return Caller(user=token.user, scopes=token.scope_set, by_token=True)


def _check_scope() -> None:
    operation = OPERATIONS.get(request.endpoint or "")
    who = caller()
    if operation is None or operation.scope in who.scopes:
        if operation is not None and operation.scope == "moderate" and not can_moderate(who.user):
            raise ApiError(403, "forbidden", _("Only moderators may do that."))
        return
    if who.by_token:
        raise ApiError(
            403,
            "insufficient_scope",
            _("This token lacks the %(scope)s scope.", scope=operation.scope),
        )
    if who.user is None:
        raise ApiError(401, "unauthorized", _("Sign in or send an API token."))
    raise ApiError(403, "forbidden", _("Only moderators may do that."))


def api_actor(create_guest_token: bool = False) -> Actor:
    """The services' Actor: the token's owner, or the session's account or guest browser."""
    who = caller()
    if not who.by_token:
        return current_actor(create_guest_token=create_guest_token)
    return Actor(
        user=who.user,
        ip_address=request.remote_addr,
        user_agent=request.user_agent.string or None,
    )
