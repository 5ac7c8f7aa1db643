"""A small OpenID Connect provider (authorization code + PKCE, RS256 ID tokens) for tests.

It is a real provider on real HTTP, with a switch (`POST /_test/mode`) that makes it issue
broken ID tokens on purpose, so that the relying party's negative paths can be tested.
State lives in memory and is lost when the process stops.
"""

from __future__ import annotations

import base64
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field
from typing import Any
from urllib.parse import unquote
from urllib.parse import urlencode
from urllib.parse import urlsplit

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from flask import Blueprint
from flask import Flask
from flask import Response
from flask import current_app
from flask import jsonify
from flask import redirect
from flask import render_template_string
from flask import request
from joserfc import jwt
from joserfc.jwk import KeySet
from joserfc.jwk import RSAKey
from werkzeug.wrappers import Response as WerkzeugResponse

CODE_LIFETIME = 60
ACCESS_TOKEN_LIFETIME = 3600
ID_TOKEN_LIFETIME = 300
KEY_ID = "porch-test-key-1"
MODES = ("normal", "wrong_audience", "expired", "bad_signature", "wrong_nonce", "wrong_issuer")

USERS: dict[str, dict[str, Any]] = {
    "alice": {
        "sub": "alice-sub-001",
        "email": "alice@example.org",
        "email_verified": True,
        "name": "Alice Example",
        "picture": "https://example.org/avatars/alice.png",
    },
    "bob": {
        "sub": "bob-sub-002",
        "email": "bob@example.org",
        "email_verified": False,
        "name": "Bob Unverified",
        "picture": "https://example.org/avatars/bob.png",
    },
    "carol": {
        "sub": "carol-sub-003",
        "email": "carol@example.org",
        "email_verified": True,
        "name": "Carol Linker",
        "picture": "https://example.org/avatars/carol.png",
    },
}

# Authorization request parameters carried from the GET to the POST of /authorize.
AUTHORIZE_PARAMS = (
    "client_id",
    "response_type",
    "redirect_uri",
    "scope",
    "state",
    "nonce",
    "code_challenge",
    "code_challenge_method",
)

SIGN_IN_PAGE = """<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Test provider: sign in</title></head>
<body>
<h1>Sign in to continue to {{ client_id }}</h1>
<form method="post" action="/authorize">
  {% for name, value in params.items() %}
  <input type="hidden" name="{{ name }}" value="{{ value }}">
  {% endfor %}
  <label for="username">Username</label>
  <select id="username" name="username">
    {% for username in users %}<option value="{{ username }}">{{ username }}</option>{% endfor %}
  </select>
  <button type="submit" name="decision" value="allow">Sign in and allow</button>
  <button type="submit" name="decision" value="deny">Deny</button>
</form>
</body>
</html>
"""


class OAuthError(Exception):
    """An OAuth error to be answered as JSON (token and userinfo endpoints)."""

    def __init__(self, error: str, description: str, status: int = 400) -> None:
        super().__init__(description)
        self.error, self.description, self.status = error, description, status


class RedirectError(Exception):
    """An authorization error to be sent back to the client's redirect URI."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.error, self.description = error, description


@dataclass
class Grant:
    """What a one-time authorization code stands for."""

    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str | None
    username: str
    expires_at: float


@dataclass
class ProviderState:
    """Keys, issued codes and tokens, and the current misbehaviour mode."""

    issuer: str
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...] = ()
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": KEY_ID}))
    impostor_key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": KEY_ID}))
    mode: str = "normal"
    codes: dict[str, Grant] = field(default_factory=dict)
    access_tokens: dict[str, tuple[str, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def allowed_redirect_uri(self, uri: str) -> bool:
        """Registered URIs when given, otherwise any plain-HTTP loopback URL."""
        if self.redirect_uris:
            return uri in self.redirect_uris
        parts = urlsplit(uri)
        return (
            parts.scheme == "http"
            and parts.hostname in ("127.0.0.1", "localhost")
            and not parts.fragment
        )

    def id_token(self, grant: Grant) -> str:
        """Sign an ID token for the grant, broken as the current mode says."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "aud": self.client_id,
            "iat": now,
            "exp": now + ID_TOKEN_LIFETIME,
            **USERS[grant.username],
        }
        if grant.nonce is not None:
            claims["nonce"] = grant.nonce
        if self.mode == "wrong_audience":
            claims["aud"] = "someone-else"
        elif self.mode == "expired":
            claims["iat"], claims["exp"] = now - 2 * ID_TOKEN_LIFETIME, now - ID_TOKEN_LIFETIME
        elif self.mode == "wrong_nonce":
            claims["nonce"] = "not-the-nonce"
        elif self.mode == "wrong_issuer":
            claims["iss"] = "http://evil.example"
        key = self.impostor_key if self.mode == "bad_signature" else self.key
        return jwt.encode({"alg": "RS256", "kid": KEY_ID}, claims, key)


def oauth_json(body: dict[str, Any], status: int = 200) -> Response:
    """A JSON response that no cache may keep, as token responses must be."""
    response = jsonify(body)
    response.status_code = status
    response.headers["Cache-Control"] = "no-store"
    response.headers["Pragma"] = "no-cache"
    return response


def with_query(uri: str, params: Mapping[str, str | None]) -> str:
    """Append parameters (skipping None) to a URI's query string."""
    query = urlencode({name: value for name, value in params.items() if value is not None})
    return f"{uri}{'&' if urlsplit(uri).query else '?'}{query}"


def check_authorization_request(state: ProviderState, params: dict[str, str]) -> None:
    """Raise OAuthError (show, never redirect) or RedirectError for a bad request."""
    if params.get("client_id") != state.client_id:
        raise OAuthError("invalid_client", "Unknown client_id.")
    if not state.allowed_redirect_uri(params.get("redirect_uri", "")):
        raise OAuthError("invalid_request", "redirect_uri is missing or not allowed.")
    if params.get("response_type") != "code":
        raise RedirectError("unsupported_response_type", "Only response_type=code is supported.")
    if "openid" not in params.get("scope", "").split():
        raise RedirectError("invalid_scope", "The openid scope is required.")
    if not params.get("code_challenge") or params.get("code_challenge_method") != "S256":
        raise RedirectError("invalid_request", "PKCE with code_challenge_method=S256 is required.")


def authenticate_client(state: ProviderState) -> None:
    """Check client_secret_basic or client_secret_post credentials."""
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        try:
            decoded = base64.b64decode(header[6:], validate=True).decode()
            client_id, secret = (unquote(part) for part in decoded.split(":", 1))
        except ValueError as error:
            raise OAuthError("invalid_client", "Malformed Basic credentials.", 401) from error
    else:
        client_id = request.form.get("client_id", "")
        secret = request.form.get("client_secret", "")
    if client_id != state.client_id or not secrets.compare_digest(secret, state.client_secret):
        raise OAuthError("invalid_client", "Client authentication failed.", 401)


def redeem_code(state: ProviderState) -> Grant:
    """Take the one-time code from the token request and check it against the request."""
    if request.form.get("grant_type") != "authorization_code":
        raise OAuthError("unsupported_grant_type", "Only authorization_code is supported.")
    with state.lock:
        grant = state.codes.pop(request.form.get("code", ""), None)
    if grant is None or grant.expires_at < time.time():
        raise OAuthError("invalid_grant", "The code is unknown, used or expired.")
    if grant.client_id != state.client_id:
        raise OAuthError("invalid_grant", "The code was issued to another client.")
    if request.form.get("redirect_uri") != grant.redirect_uri:
        raise OAuthError("invalid_grant", "redirect_uri does not match the authorization.")
    verifier = request.form.get("code_verifier", "")
    if not verifier or create_s256_code_challenge(verifier) != grant.code_challenge:
        raise OAuthError("invalid_grant", "PKCE verification failed.")
    return grant


provider = Blueprint("oidc_provider", __name__)


def current_state() -> ProviderState:
    """The provider state of the running app."""
    state: ProviderState = current_app.extensions["oidc_provider"]
    return state


def back_to_client(params: dict[str, str], answer: dict[str, str]) -> WerkzeugResponse:
    """Redirect to the client's redirect URI with the answer and the client's state."""
    answer = {**answer, "state": params["state"]} if "state" in params else answer
    return redirect(with_query(params["redirect_uri"], answer))


@provider.errorhandler(OAuthError)
def oauth_error(error: OAuthError) -> Response:
    """Answer OAuth errors as JSON, with a challenge on 401."""
    body = {"error": error.error, "error_description": error.description}
    response = oauth_json(body, error.status)
    if error.status == 401:
        scheme = "Bearer" if request.path == "/userinfo" else "Basic"
        response.headers["WWW-Authenticate"] = f'{scheme} error="{error.error}"'
    return response


@provider.get("/.well-known/openid-configuration")
def discovery() -> Response:
    """The OpenID Provider metadata."""
    issuer = current_state().issuer
    return jsonify(
        issuer=issuer,
        authorization_endpoint=f"{issuer}/authorize",
        token_endpoint=f"{issuer}/token",
        userinfo_endpoint=f"{issuer}/userinfo",
        jwks_uri=f"{issuer}/jwks",
        response_types_supported=["code"],
        subject_types_supported=["public"],
        id_token_signing_alg_values_supported=["RS256"],
        code_challenge_methods_supported=["S256"],
        scopes_supported=["openid", "email", "profile"],
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post"],
        grant_types_supported=["authorization_code"],
    )


@provider.get("/jwks")
def jwks() -> Response:
    """The public signing key (never the impostor key)."""
    return jsonify(KeySet([current_state().key]).as_dict(private=False))


@provider.route("/authorize", methods=["GET", "POST"])
def authorize() -> Any:
    """GET shows the sign-in page; POST (its form) answers the client with a code or a denial."""
    state = current_state()
    source = request.args if request.method == "GET" else request.form
    params = {name: source[name] for name in AUTHORIZE_PARAMS if name in source}
    try:
        check_authorization_request(state, params)
    except OAuthError as error:
        return f"Bad authorization request: {error.description}", 400
    except RedirectError as error:
        return back_to_client(
            params, {"error": error.error, "error_description": error.description}
        )
    if request.method == "GET":
        return render_template_string(
            SIGN_IN_PAGE, client_id=state.client_id, params=params, users=USERS
        )
    if request.form.get("decision") == "deny":
        return back_to_client(params, {"error": "access_denied"})
    username = request.form.get("username", "")
    if username not in USERS:
        return "Unknown user.", 400
    code = secrets.token_urlsafe(32)
    with state.lock:
        state.codes[code] = Grant(
            client_id=state.client_id,
            redirect_uri=params["redirect_uri"],
            code_challenge=params["code_challenge"],
            nonce=params.get("nonce"),
            username=username,
            expires_at=time.time() + CODE_LIFETIME,
        )
    return back_to_client(params, {"code": code})


@provider.post("/token")
def token() -> Response:
    """Exchange a code (with client credentials and the PKCE verifier) for tokens."""
    state = current_state()
    authenticate_client(state)
    grant = redeem_code(state)
    access_token = secrets.token_urlsafe(32)
    with state.lock:
        expires_at = time.time() + ACCESS_TOKEN_LIFETIME
        state.access_tokens[access_token] = (grant.username, expires_at)
        id_token = state.id_token(grant)
    return oauth_json(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "scope": "openid email profile",
            "id_token": id_token,
        }
    )


@provider.route("/userinfo", methods=["GET", "POST"])
def userinfo() -> Response:
    """The signed-in user's claims, for a valid Bearer access token."""
    state = current_state()
    scheme, _, access_token = request.headers.get("Authorization", "").partition(" ")
    with state.lock:
        username, expires_at = state.access_tokens.get(access_token, ("", 0.0))
    if scheme.lower() != "bearer" or expires_at < time.time():
        raise OAuthError("invalid_token", "Missing, unknown or expired access token.", 401)
    return jsonify(USERS[username])


@provider.route("/_test/mode", methods=["GET", "POST"])
def test_mode() -> Any:
    """Read, or set with {"id_token": MODE}, how ID tokens are broken."""
    state = current_state()
    if request.method == "POST":
        mode = (request.get_json(silent=True) or {}).get("id_token")
        if mode not in MODES:
            return jsonify(error=f"id_token mode must be one of: {', '.join(MODES)}"), 400
        with state.lock:
            state.mode = mode
    return jsonify(id_token=state.mode)


@provider.post("/_test/reset")
def test_reset() -> Response:
    """Back to correct ID tokens."""
    state = current_state()
    with state.lock:
        state.mode = "normal"
    return jsonify(id_token=state.mode)


def create_app(
    issuer: str, client_id: str, client_secret: str, redirect_uris: tuple[str, ...] = ()
) -> Flask:
    """Build the provider app for one client, with fresh keys."""
    app = Flask(__name__)
    app.extensions["oidc_provider"] = ProviderState(issuer, client_id, client_secret, redirect_uris)
    app.register_blueprint(provider)
    return app
