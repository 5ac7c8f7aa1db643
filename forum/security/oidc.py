"""Sign-in through OAuth 2 / OpenID Connect providers, with Authlib doing the protocol.

The site owner configures providers with PORCH_OAUTH_<NAME>_CLIENT_ID / _CLIENT_SECRET, plus
_ISSUER for any OpenID Connect issuer (found through its discovery document). GitHub, Google,
Facebook, X and WordPress.com have presets. Every flow uses the authorization code with PKCE
(S256) and a checked `state`; OpenID Connect flows also check the ID token's signature (against
the issuer's JWKS), issuer, audience, expiry and nonce. No provider token is kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from authlib.integrations.flask_client import FlaskOAuth2App
from authlib.integrations.flask_client import OAuth
from flask import Flask
from flask import current_app

_CLIENT_ID_KEY = re.compile(r"^OAUTH_([A-Z0-9]+)_CLIENT_ID$")
ID_TOKEN_LEEWAY = 60  # seconds of clock skew tolerated on exp/iat


@dataclass(frozen=True)
class ExternalProfile:
    """What a provider tells us about the person; `email_verified` only if it vouches for it."""

    provider: str
    subject: str
    email: str | None
    email_verified: bool
    name: str | None
    picture_url: str | None


ProfileReader = Callable[[FlaskOAuth2App, dict[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class Preset:
    label: str
    scope: str
    metadata_url: str | None = None  # OpenID Connect discovery
    authorize_url: str | None = None
    access_token_url: str | None = None
    profile_url: str | None = None  # plain OAuth 2: where the profile is read after sign-in


@dataclass(frozen=True)
class Provider:
    name: str  # lower-case, used in URLs
    label: str
    client_id: str
    client_secret: str
    preset: Preset

    @property
    def is_openid(self) -> bool:
        return self.preset.metadata_url is not None


# Bandit's B106 is silenced below: it takes the keyword access_token_url for a password; it is the
# provider's public token endpoint.
PRESETS: dict[str, Preset] = {
    "google": Preset(
        "Google",
        "openid email profile",
        metadata_url="https://accounts.google.com/.well-known/openid-configuration",
    ),
    "github": Preset(
        "GitHub",
        "read:user user:email",
        authorize_url="https://github.com/login/oauth/authorize",
        access_token_url="https://github.com/login/oauth/access_token",  # nosec B106
        profile_url="https://api.github.com/user",
    ),
    "facebook": Preset(
        "Facebook",
        "public_profile email",
        authorize_url="https://www.facebook.com/v19.0/dialog/oauth",
        access_token_url="https://graph.facebook.com/v19.0/oauth/access_token",  # nosec B106
        profile_url="https://graph.facebook.com/me?fields=id,name,email,picture",
    ),
    "x": Preset(
        "X",
        "users.read tweet.read",
        authorize_url="https://x.com/i/oauth2/authorize",
        access_token_url="https://api.x.com/2/oauth2/token",  # nosec B106
        profile_url="https://api.x.com/2/users/me?user.fields=profile_image_url",
    ),
    "wordpress": Preset(
        "WordPress.com",
        "auth",
        authorize_url="https://public-api.wordpress.com/oauth2/authorize",
        access_token_url="https://public-api.wordpress.com/oauth2/token",  # nosec B106
        profile_url="https://public-api.wordpress.com/rest/v1/me",
    ),
}


def configured_providers(config: dict[str, Any] | Any) -> list[Provider]:
    """Providers with a client id and secret set, in a stable order; nothing for the rest."""
    providers = []
    for key in sorted(config):
        match = _CLIENT_ID_KEY.match(key)
        if not match:
            continue
        upper = match.group(1)
        name = upper.lower()
        secret = config.get(f"OAUTH_{upper}_CLIENT_SECRET")
        issuer = config.get(f"OAUTH_{upper}_ISSUER")
        preset = _preset_for(name, issuer, config.get(f"OAUTH_{upper}_LABEL"))
        if secret is None or preset is None:
            continue
        providers.append(Provider(name, preset.label, str(config[key]), str(secret), preset))
    return providers


def _preset_for(name: str, issuer: str | None, label: str | None) -> Preset | None:
    if issuer:  # any OpenID Connect issuer, a preset's name included (it then wins)
        discovery = issuer.rstrip("/") + "/.well-known/openid-configuration"
        default_label = PRESETS[name].label if name in PRESETS else name.title()
        return Preset(label or default_label, "openid email profile", metadata_url=discovery)
    return PRESETS.get(name)


def authorization_origins(config: dict[str, Any] | Any) -> list[str]:
    """Origins of the providers' sign-in pages (an issuer's pages are on the issuer's origin)."""
    origins = []
    for provider in configured_providers(config):
        url = provider.preset.authorize_url or provider.preset.metadata_url or ""
        parts = urlsplit(url)
        if parts.scheme and parts.netloc:
            origins.append(f"{parts.scheme}://{parts.netloc}")
    return sorted(set(origins))


def init_app(app: Flask) -> None:
    """One Authlib registry per app, so apps (and tests) never share provider state."""
    registry = OAuth(app)
    for provider in configured_providers(app.config):
        registry.register(
            provider.name,
            client_id=provider.client_id,
            client_secret=provider.client_secret,
            server_metadata_url=provider.preset.metadata_url,
            authorize_url=provider.preset.authorize_url,
            access_token_url=provider.preset.access_token_url,
            client_kwargs={
                "scope": provider.preset.scope,
                "code_challenge_method": "S256",
                "timeout": app.config["OAUTH_TIMEOUT"],
            },
        )
    app.extensions["porch_oauth"] = registry
    app.extensions["porch_providers"] = {p.name: p for p in configured_providers(app.config)}


def providers() -> list[Provider]:
    return list(current_app.extensions["porch_providers"].values())


def provider(name: str) -> Provider | None:
    found: Provider | None = current_app.extensions["porch_providers"].get(name)
    return found


def client(name: str) -> FlaskOAuth2App:
    registry: OAuth = current_app.extensions["porch_oauth"]
    return registry.create_client(name)
