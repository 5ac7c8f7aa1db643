"""While a production site has no admin, every page leads to /setup, and only at its address.

The provider sign-in callback is the one other route setup needs: its URL is the one registered
with the provider, so while setup is pending the gate hands that request to setup instead.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from flask import Flask
from flask import current_app
from flask import redirect
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.services import setup as setup_service

# The favicon too: led to /setup, the browser's icon request rendered the page beside the form's
# POST, and answering last it could put back the session from before the POST.
OPEN_ENDPOINTS = frozenset(
    {"static", "health.show", "health.ready", "health.favicon", "metrics.show"}
)
CALLBACK_ENDPOINT = "accounts.provider_callback"
DONE_KEY = "porch_set_up"
DEFAULT_PORTS = {"http": 80, "https": 443}


def setup_pending() -> bool:
    """Production with no admin yet; once set up, this process stops asking the database."""
    app = current_app
    if app.config["ENV"] != "production" or app.extensions.get(DONE_KEY):
        return False
    if setup_service.is_set_up():
        app.extensions[DONE_KEY] = True
        return False
    return True


def at_site_address() -> bool:
    """The request came to PORCH_SITE_URL's scheme, host and port (not some other name or IP)."""
    try:
        return _origin(str(current_app.config["SITE_URL"])) == _origin(request.host_url)
    except ValueError:  # a Host header with a malformed port
        return False


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or DEFAULT_PORTS.get(scheme)


def register(app: Flask, finish_with_provider: Callable[[str], ResponseReturnValue]) -> None:
    @app.before_request
    def _lead_to_setup() -> ResponseReturnValue | None:
        endpoint = request.endpoint or ""
        if endpoint in OPEN_ENDPOINTS or endpoint.startswith("setup.") or not setup_pending():
            return None
        if endpoint == CALLBACK_ENDPOINT:
            return finish_with_provider(str((request.view_args or {}).get("name", "")))
        code = 302 if request.method in ("GET", "HEAD") else 303
        return redirect(url_for("setup.show"), code=code)
