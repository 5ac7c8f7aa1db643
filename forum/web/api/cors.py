"""CORS for the API: scripts on exactly the embed origins (PORCH_EMBED_ORIGINS) may call it.

Preflights from those origins are answered; other origins get no CORS headers, so browsers keep
their pages from reading answers, and their writes are refused as cross-site (caching.origin).
Writes from an allowed origin pass that check but still prove themselves: a token, or, for the
cookie session, the CSRF token from /session/csrf (which those origins may also read).
"""

from __future__ import annotations

from flask import Response
from flask import current_app
from flask import request
from flask.typing import ResponseReturnValue

from forum.errors import API_PREFIX

ALLOWED_HEADERS = "Authorization, Content-Type, X-CSRFToken"
EXPOSED_HEADERS = "ETag, Retry-After"
PREFLIGHT_MAX_AGE = 600  # seconds a browser may reuse a preflight's answer
_CSRF_ENDPOINT = "/session/csrf"


def _covered() -> bool:
    return request.path.startswith(API_PREFIX + "/") or request.path == _CSRF_ENDPOINT


def allowed_origin() -> str | None:
    """The request's Origin when it is one of the embed origins, as configured (lower case)."""
    origin = (request.headers.get("Origin") or "").rstrip("/").lower()
    return origin if origin and origin in current_app.config["EMBED_ORIGINS"] else None


def trusted_cross_origin() -> bool:
    """An API request from an embed origin: not refused as cross-site; the API checks it."""
    return request.path.startswith(API_PREFIX + "/") and allowed_origin() is not None


def preflight() -> ResponseReturnValue | None:
    """before_request: answer a CORS preflight before anything authenticates or routes."""
    if request.method != "OPTIONS" or not _covered():
        return None
    response = Response(status=204)
    if allowed_origin() and request.headers.get("Access-Control-Request-Method"):
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, PUT, PATCH, DELETE"
        response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        response.headers["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
    return response


def cors_headers(response: Response) -> Response:
    """after_request: allow exactly an embed origin, with credentials; vary on Origin always."""
    if not _covered():
        return response
    response.vary.add("Origin")
    origin = allowed_origin()
    if origin is not None:
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Access-Control-Allow-Credentials"] = "true"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    return response
