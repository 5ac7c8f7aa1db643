"""Per-request hooks: security headers and the migrated-schema check."""

from __future__ import annotations

from urllib.parse import unquote_to_bytes

from flask import Flask
from flask import Response
from flask import abort
from flask import request

from forum.database import check_schema
from forum.extensions import db
from forum.i18n import _
from forum.security import oidc


def content_security_policy(sign_in_origins: list[str], frame_ancestors: str = "'none'") -> str:
    """No inline code anywhere: every script and style is a file under static/.

    Browsers apply form-action to where a form's redirects lead too, so the sign-in buttons
    (a POST that redirects to the provider) need the providers' origins there. Only embed
    pages pass `frame_ancestors`: the sites allowed to frame them.
    """
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: https:",  # members may choose their provider's picture
            "object-src 'none'",
            "base-uri 'self'",
            " ".join(["form-action 'self'", *sign_in_origins]),
            f"frame-ancestors {frame_ancestors}",
        ]
    )


# Browser features no page of Porch uses, denied to it and to anything it might frame.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "browsing-topics",
    )
)


def _refuse_non_utf8_form() -> None:
    """Werkzeug keeps undecodable %XX escapes as literal text; refuse them instead."""
    if request.method != "POST" or request.mimetype != "application/x-www-form-urlencoded":
        return
    raw = request.get_data(cache=True)
    try:
        unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        abort(
            400,
            _("The form was not sent as UTF-8 text, so it could not be read. Nothing was saved."),
        )


def _refuse_nul_in_query() -> None:
    """No filter or page takes a NUL character, and PostgreSQL cannot compare text with one:
    passed on, it would fail the request with a 500 instead of saying what is wrong."""
    if any("\x00" in value for _name, value in request.args.items(multi=True)):
        abort(400, _("The address contains a character that is not allowed (NUL)."))


# Probes and metrics answer on an un-migrated database (readyz says what is wrong).
SCHEMA_FREE_ENDPOINTS = frozenset({"health.show", "health.ready", "metrics.show"})


def register(app: Flask) -> None:
    policy = content_security_policy(oidc.authorization_origins(app.config))
    app.before_request(_refuse_non_utf8_form)
    app.before_request(_refuse_nul_in_query)

    schema_ok = not app.config["CHECK_SCHEMA"]

    @app.before_request
    def _require_migrated_schema() -> None:
        nonlocal schema_ok
        if not schema_ok and request.endpoint not in SCHEMA_FREE_ENDPOINTS:
            check_schema(db.engine)  # raises SchemaOutOfDate, shown as a 503 page
            schema_ok = True

    hsts_seconds = int(app.config["HSTS_SECONDS"])

    @app.after_request
    def _security_headers(response: Response) -> Response:
        """On every response, error pages, files and cached pages included."""
        headers = response.headers
        headers.setdefault("Content-Security-Policy", policy)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        if hsts_seconds > 0:
            headers.setdefault("Strict-Transport-Security", f"max-age={hsts_seconds}")
        if "frame-ancestors 'none'" in headers["Content-Security-Policy"]:
            headers.setdefault("X-Frame-Options", "DENY")  # embed pages set their own
        return response
