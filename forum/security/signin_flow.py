"""The two halves of a provider sign-in: send the browser off, and read who came back."""

from __future__ import annotations

import logging
from typing import Any

from authlib.integrations.base_client.errors import OAuthError
from flask.typing import ResponseReturnValue
from joserfc.errors import JoseError
from requests import RequestException

from forum.security import oidc
from forum.security.oidc import ExternalProfile
from forum.security.oidc import Provider

log = logging.getLogger(__name__)


class SignInFailed(Exception):
    """Anything wrong in the exchange; the reason goes to the log, never to the page."""


def begin(provider: Provider, redirect_uri: str) -> ResponseReturnValue:
    """Redirect to the provider; Authlib keeps state, nonce and the PKCE verifier in the session."""
    try:
        return oidc.client(provider.name).authorize_redirect(redirect_uri)  # type: ignore[no-any-return]
    except (OAuthError, RequestException, ValueError, KeyError) as error:
        log.warning("sign-in with %s could not start: %r", provider.name, error)
        raise SignInFailed(f"could not start: {error!r}") from error


def complete(provider: Provider) -> ExternalProfile:
    """Check the callback (state, code, PKCE, ID token) and return the person's profile."""
    client = oidc.client(provider.name)
    try:
        token = client.authorize_access_token(leeway=oidc.ID_TOKEN_LEEWAY)
        claims = (
            _openid_claims(client, token)
            if provider.is_openid
            else _profile(provider, client, token)
        )
        return _to_profile(provider.name, claims)
    except SignInFailed:
        raise
    except (OAuthError, JoseError, RequestException, ValueError, KeyError, TypeError) as error:
        log.warning("sign-in with %s failed: %r", provider.name, error)
        raise SignInFailed(repr(error)) from error


def _openid_claims(client: Any, token: dict[str, Any]) -> dict[str, Any]:
    claims = token.get("userinfo")
    if not claims:  # an OpenID provider must send a verified ID token; never fall back
        raise SignInFailed("the token response carried no ID token")
    merged = dict(claims)
    if not merged.get("email") and client.load_server_metadata().get("userinfo_endpoint"):
        userinfo = dict(client.userinfo(token=token))
        if userinfo.get("sub") == merged["sub"]:
            merged.update({k: v for k, v in userinfo.items() if k not in merged})
    return merged


def _profile(provider: Provider, client: Any, token: dict[str, Any]) -> dict[str, Any]:
    """Plain OAuth 2 presets: read the profile API and map it onto OpenID claim names."""
    url = provider.preset.profile_url
    assert url is not None  # nosec B101  # narrowing: every preset without OpenID has a profile URL
    response = client.get(url, token=token)
    response.raise_for_status()
    data = response.json()
    if provider.name == "github":
        return _github_claims(client, token, data)
    if provider.name == "x":
        user = data["data"]
        return {
            "sub": user["id"],
            "name": user.get("name"),
            "picture": user.get("profile_image_url"),
        }
    if provider.name == "wordpress":
        return {
            "sub": data["ID"],
            "name": data.get("display_name"),
            "email": data.get("email"),
            "email_verified": data.get("email_verified") is True,
            "picture": data.get("avatar_URL"),
        }
    picture = (data.get("picture") or {}).get("data", {}).get("url")
    # Facebook does not say whether the address is confirmed, so it is not trusted for linking.
    return {
        "sub": data["id"],
        "name": data.get("name"),
        "email": data.get("email"),
        "picture": picture,
    }


def _github_claims(client: Any, token: dict[str, Any], user: dict[str, Any]) -> dict[str, Any]:
    response = client.get("https://api.github.com/user/emails", token=token)
    emails = response.json() if response.ok else []
    primary = next((e for e in emails if e.get("primary") and e.get("verified")), None)
    return {
        "sub": user["id"],
        "name": user.get("name") or user.get("login"),
        "email": primary["email"] if primary else None,
        "email_verified": primary is not None,
        "picture": user.get("avatar_url"),
    }


def _to_profile(provider_name: str, claims: dict[str, Any]) -> ExternalProfile:
    subject = str(claims["sub"]).strip()
    if not subject:
        raise SignInFailed("the provider sent an empty subject")
    email = claims.get("email") or None
    return ExternalProfile(
        provider=provider_name,
        subject=subject,
        email=str(email).strip().lower() if email else None,
        email_verified=bool(email) and claims.get("email_verified") is True,
        name=(str(claims["name"]).strip()[:80] or None) if claims.get("name") else None,
        picture_url=_https_only(claims.get("picture")),
    )


def _https_only(url: object) -> str | None:
    return url if isinstance(url, str) and url.startswith("https://") and len(url) <= 500 else None
