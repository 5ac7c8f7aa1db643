"""The test OpenID Connect provider itself behaves as a correct (or, on demand, broken) OP."""

from __future__ import annotations

import base64
import json
import secrets
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from typing import cast
from urllib.parse import parse_qs
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.errors import ExpiredTokenError
from joserfc.errors import InvalidClaimError
from joserfc.jwk import KeySet
from joserfc.jwk import KeySetSerialization
from joserfc.jwt import JWTClaimsRegistry

from tests.oidc_provider.process import ProviderError
from tests.oidc_provider.process import RunningProvider
from tests.oidc_provider.process import down_issuer
from tests.oidc_provider.process import sign_in
from tests.oidc_provider.process import start_provider
from tests.oidc_provider.server import USERS

CLIENT_ID = "porch-test"
CLIENT_SECRET = "porch-test-secret"
REDIRECT_URI = "http://127.0.0.1:5999/auth/callback"


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    running = start_provider(CLIENT_ID, CLIENT_SECRET)
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def normal_mode(provider: RunningProvider) -> Iterator[None]:
    yield
    provider.reset()


@dataclass
class Authorization:
    """One authorization request's secrets and the code the provider sent back."""

    verifier: str
    nonce: str
    state: str
    code: str


def http(
    url: str,
    form: dict[str, str] | None = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, Any]]:
    """GET, or POST a form, and return the status and JSON body, errors included."""
    data = None if form is None else urlencode(form).encode()
    request = urllib.request.Request(url, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        with error:
            return error.code, json.load(error)


def authorize_url(provider: RunningProvider, verifier: str, nonce: str, state: str) -> str:
    params = {
        "client_id": CLIENT_ID,
        "response_type": "code",
        "redirect_uri": REDIRECT_URI,
        "scope": "openid email profile",
        "state": state,
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    return f"{provider.issuer}/authorize?{urlencode(params)}"


def authorize(provider: RunningProvider, username: str = "alice") -> Authorization:
    verifier, nonce, state = (secrets.token_urlsafe(48) for _ in range(3))
    location = sign_in(authorize_url(provider, verifier, nonce, state), username)
    assert location.startswith(f"{REDIRECT_URI}?")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == [state]
    return Authorization(verifier, nonce, state, query["code"][0])


def basic_auth(client_id: str = CLIENT_ID, secret: str = CLIENT_SECRET) -> dict[str, str]:
    credentials = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {credentials}"}


def redeem(
    provider: RunningProvider, grant: Authorization, **overrides: str
) -> tuple[int, dict[str, Any]]:
    form = {
        "grant_type": "authorization_code",
        "code": grant.code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": grant.verifier,
        **overrides,
    }
    return http(f"{provider.issuer}/token", form, basic_auth())


def id_token_for(provider: RunningProvider, username: str = "alice") -> tuple[str, str]:
    """Run the code flow; return the ID token and the nonce that was sent."""
    grant = authorize(provider, username)
    status, body = redeem(provider, grant)
    assert status == 200, body
    return body["id_token"], grant.nonce


def published_keys(provider: RunningProvider) -> KeySet:
    status, body = http(f"{provider.issuer}/jwks")
    assert status == 200
    return KeySet.import_key_set(cast(KeySetSerialization, body))


def unverified_claims(id_token: str) -> dict[str, Any]:
    payload = id_token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(payload + "=" * 4))
    return claims


def verify(provider: RunningProvider, id_token: str, nonce: str) -> dict[str, Any]:
    """Verify as a relying party must: signature against /jwks, then iss, aud, exp, nonce."""
    token = jwt.decode(id_token, published_keys(provider), algorithms=["RS256"])
    JWTClaimsRegistry(
        iss={"essential": True, "value": provider.issuer},
        aud={"essential": True, "value": CLIENT_ID},
        exp={"essential": True},
        iat={"essential": True},
        sub={"essential": True},
        nonce={"essential": True, "value": nonce},
    ).validate(token.claims)
    return token.claims


def test_discovery_document(provider: RunningProvider) -> None:
    status, config = http(f"{provider.issuer}/.well-known/openid-configuration")
    assert status == 200
    issuer = provider.issuer
    assert issuer.startswith("http://127.0.0.1:")
    assert config["issuer"] == issuer
    assert config["authorization_endpoint"] == f"{issuer}/authorize"
    assert config["token_endpoint"] == f"{issuer}/token"
    assert config["userinfo_endpoint"] == f"{issuer}/userinfo"
    assert config["jwks_uri"] == f"{issuer}/jwks"
    assert config["response_types_supported"] == ["code"]
    assert config["subject_types_supported"] == ["public"]
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert config["scopes_supported"] == ["openid", "email", "profile"]
    assert config["token_endpoint_auth_methods_supported"] == [
        "client_secret_basic",
        "client_secret_post",
    ]


def test_jwks_publishes_one_public_rsa_key(provider: RunningProvider) -> None:
    status, body = http(f"{provider.issuer}/jwks")
    assert status == 200
    [key] = body["keys"]
    assert key["kty"] == "RSA" and key["kid"]
    assert "d" not in key and "p" not in key


def test_code_flow_gives_a_verifiable_id_token(provider: RunningProvider) -> None:
    grant = authorize(provider, "alice")
    status, body = redeem(provider, grant)
    assert status == 200, body
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] > 0 and body["access_token"]

    header = json.loads(base64.urlsafe_b64decode(body["id_token"].split(".")[0] + "=" * 4))
    assert header["alg"] == "RS256"
    assert header["kid"] == published_keys(provider).keys[0].kid
    claims = verify(provider, body["id_token"], grant.nonce)
    assert claims["sub"] == "alice-sub-001"
    assert claims["email"] == "alice@example.org"
    assert claims["email_verified"] is True
    assert claims["name"] == "Alice Example"
    assert claims["picture"]
    assert 0 < claims["exp"] - time.time() <= 300


@pytest.mark.parametrize("username", sorted(USERS))
def test_each_user_signs_in_as_themselves(provider: RunningProvider, username: str) -> None:
    id_token, nonce = id_token_for(provider, username)
    claims = verify(provider, id_token, nonce)
    expected = USERS[username]
    assert (claims["sub"], claims["email"]) == (expected["sub"], expected["email"])
    assert claims["email_verified"] is expected["email_verified"]


def test_bob_is_unverified(provider: RunningProvider) -> None:
    id_token, nonce = id_token_for(provider, "bob")
    claims = verify(provider, id_token, nonce)
    assert claims["sub"] == "bob-sub-002"
    assert claims["email_verified"] is False


def test_client_secret_post_is_accepted(provider: RunningProvider) -> None:
    grant = authorize(provider)
    form = {
        "grant_type": "authorization_code",
        "code": grant.code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": grant.verifier,
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
    }
    status, body = http(f"{provider.issuer}/token", form)
    assert status == 200, body
    verify(provider, body["id_token"], grant.nonce)


def test_wrong_client_secret_is_rejected(provider: RunningProvider) -> None:
    grant = authorize(provider)
    form = {
        "grant_type": "authorization_code",
        "code": grant.code,
        "redirect_uri": REDIRECT_URI,
        "code_verifier": grant.verifier,
    }
    status, body = http(f"{provider.issuer}/token", form, basic_auth(secret="wrong"))
    assert (status, body["error"]) == (401, "invalid_client")


def test_wrong_code_verifier_is_invalid_grant(provider: RunningProvider) -> None:
    grant = authorize(provider)
    status, body = redeem(provider, grant, code_verifier=secrets.token_urlsafe(48))
    assert (status, body["error"]) == (400, "invalid_grant")


def test_missing_code_verifier_is_invalid_grant(provider: RunningProvider) -> None:
    grant = authorize(provider)
    status, body = redeem(provider, grant, code_verifier="")
    assert (status, body["error"]) == (400, "invalid_grant")


def test_redirect_uri_must_match(provider: RunningProvider) -> None:
    grant = authorize(provider)
    status, body = redeem(provider, grant, redirect_uri="http://127.0.0.1:5999/elsewhere")
    assert (status, body["error"]) == (400, "invalid_grant")


def test_code_is_one_time(provider: RunningProvider) -> None:
    grant = authorize(provider)
    assert redeem(provider, grant)[0] == 200
    status, body = redeem(provider, grant)
    assert (status, body["error"]) == (400, "invalid_grant")


def test_unknown_grant_type(provider: RunningProvider) -> None:
    grant = authorize(provider)
    status, body = redeem(provider, grant, grant_type="password")
    assert (status, body["error"]) == (400, "unsupported_grant_type")


def test_deny_redirects_with_access_denied(provider: RunningProvider) -> None:
    url = authorize_url(provider, "v" * 43, "n", "the-state")
    location = sign_in(url, deny=True)
    assert location.startswith(f"{REDIRECT_URI}?")
    query = parse_qs(urlsplit(location).query)
    assert query == {"error": ["access_denied"], "state": ["the-state"]}


def test_pkce_is_required(provider: RunningProvider) -> None:
    url = authorize_url(provider, "v" * 43, "n", "s").replace("S256", "plain")
    query = parse_qs(urlsplit(sign_in(url)).query)
    assert query["error"] == ["invalid_request"] and query["state"] == ["s"]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (f"client_id={CLIENT_ID}", "client_id=intruder"),
        ("127.0.0.1%3A5999", "evil.example"),
    ],
)
def test_bad_client_or_redirect_uri_is_not_redirected(
    provider: RunningProvider, old: str, new: str
) -> None:
    url = authorize_url(provider, "v" * 43, "n", "s")
    assert old in url
    with pytest.raises(ProviderError, match="400"):
        sign_in(url.replace(old, new))


def test_userinfo_with_bearer_token(provider: RunningProvider) -> None:
    grant = authorize(provider, "carol")
    _, tokens = redeem(provider, grant)
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    status, info = http(f"{provider.issuer}/userinfo", headers=headers)
    assert status == 200
    assert info["sub"] == "carol-sub-003"
    assert info["email"] == "carol@example.org"
    assert info["email_verified"] is True
    assert info["name"] == "Carol Linker"
    assert info["picture"]


def test_userinfo_rejects_unknown_token(provider: RunningProvider) -> None:
    headers = {"Authorization": "Bearer not-a-token"}
    status, body = http(f"{provider.issuer}/userinfo", headers=headers)
    assert (status, body["error"]) == (401, "invalid_token")


@pytest.mark.parametrize(
    ("mode", "claim", "broken"),
    [
        ("wrong_audience", "aud", "someone-else"),
        ("wrong_nonce", "nonce", "not-the-nonce"),
        ("wrong_issuer", "iss", "http://evil.example"),
    ],
)
def test_mode_breaks_one_claim(
    provider: RunningProvider, mode: str, claim: str, broken: str
) -> None:
    provider.set_mode(mode)
    assert provider.mode() == mode
    id_token, nonce = id_token_for(provider)
    claims = jwt.decode(id_token, published_keys(provider), algorithms=["RS256"]).claims
    assert claims[claim] == broken
    with pytest.raises(InvalidClaimError, match=claim):
        verify(provider, id_token, nonce)


def test_expired_mode(provider: RunningProvider) -> None:
    provider.set_mode("expired")
    id_token, nonce = id_token_for(provider)
    claims = jwt.decode(id_token, published_keys(provider), algorithms=["RS256"]).claims
    assert claims["iat"] < claims["exp"] < time.time()
    with pytest.raises(ExpiredTokenError):
        verify(provider, id_token, nonce)


def test_bad_signature_mode(provider: RunningProvider) -> None:
    provider.set_mode("bad_signature")
    id_token, nonce = id_token_for(provider)
    assert unverified_claims(id_token)["nonce"] == nonce  # only the signature is wrong
    with pytest.raises(BadSignatureError):
        verify(provider, id_token, nonce)


def test_mode_persists_until_reset(provider: RunningProvider) -> None:
    provider.set_mode("wrong_nonce")
    for _ in range(2):
        assert unverified_claims(id_token_for(provider)[0])["nonce"] == "not-the-nonce"
    provider.reset()
    assert provider.mode() == "normal"
    id_token, nonce = id_token_for(provider)
    verify(provider, id_token, nonce)


def test_unknown_mode_is_refused(provider: RunningProvider) -> None:
    with pytest.raises(ProviderError, match="400"):
        provider.set_mode("chaotic")
    assert provider.mode() == "normal"


def test_down_issuer_refuses_connections() -> None:
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{down_issuer()}/.well-known/openid-configuration", timeout=2)


def test_stop_ends_the_process() -> None:
    running = start_provider("other", "other-secret")
    running.stop()
    assert running.process.returncode is not None
    running.stop()  # idempotent
