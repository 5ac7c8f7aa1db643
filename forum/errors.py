"""Domain errors raised by services, and the HTML/JSON error pages."""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from collections.abc import Sequence

from flask import Flask
from flask import Response
from flask import render_template
from flask import request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.exceptions import InternalServerError

from forum.database import SchemaOutOfDate
from forum.i18n import _

log = logging.getLogger(__name__)

PAGES_WITH_TEMPLATES = (400, 403, 404, 405, 413, 429, 500, 503)


class DomainError(Exception):
    """A rule of the domain refused the action; `message` is safe to show the user."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    status_code = 404


class Forbidden(DomainError):
    status_code = 403


class InvalidInput(DomainError):
    """Field-level problems, mapped onto the form by the view."""

    status_code = 400

    def __init__(self, errors: Mapping[str, Sequence[object]]) -> None:
        # Form validators give lazy translations: made plain text here, in the request's locale.
        self.errors = {field: [str(msg) for msg in msgs] for field, msgs in errors.items()}
        super().__init__("; ".join(msg for msgs in self.errors.values() for msg in msgs))


def wants_json() -> bool:
    """JS clients ask for JSON; browsers get pages."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json"])
    return best == "application/json"


def _render(
    code: int, message: str | None, error: Exception | None = None
) -> tuple[Response | str, int]:
    if request.path.startswith(API_PREFIX + "/"):
        return api_error(code, message, error), code
    if wants_json():
        from flask import jsonify

        return jsonify(error=message or _default_message(code)), code
    template = code if code in PAGES_WITH_TEMPLATES else 400 if code < 500 else 500
    return render_template(f"errors/{template}.html", code=code, message=message), code


API_PREFIX = "/api/v1"
_API_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    429: "rate_limited",
    500: "internal_error",
    503: "unavailable",
}


def api_error(code: int, message: str | None, error: Exception | None = None) -> Response:
    """The API's one error shape: a stable code, a message and the field errors."""
    from flask import jsonify

    fields = error.errors if isinstance(error, InvalidInput) else None
    stable = getattr(error, "api_code", None) or ("invalid_input" if fields else None)
    if isinstance(error, CSRFError):
        stable = "csrf_failed"
    response = jsonify(
        error={
            "code": stable or _API_CODES.get(code, "error"),
            "message": message or _default_message(code),
            "fields": fields,
        }
    )
    response.status_code = code
    if code == 429:
        response.headers["Retry-After"] = str(_retry_after())
    return response


def _retry_after() -> int:
    from forum.extensions import limiter

    limit = limiter.current_limit
    return max(1, int(limit.reset_at - time.time())) if limit is not None else 60


def _default_message(code: int) -> str:
    return {
        400: _("The request could not be understood."),
        403: _("You are not allowed to do that."),
        404: _("There is nothing at this address."),
        405: _("This address does not accept that method."),
        413: _("What you sent is too large."),
        429: _("Too many requests: please wait a moment and try again."),
        500: _("Something went wrong on our side."),
        503: _("The site is not ready."),
    }.get(code) or _("Something went wrong.")


def register_error_handlers(app: Flask) -> None:
    """Every error ends on a friendly page (or JSON for scripts) with the right status."""

    @app.errorhandler(DomainError)
    def _domain(error: DomainError) -> tuple[Response | str, int]:
        return _render(error.status_code, error.message, error)

    @app.errorhandler(CSRFError)
    def _csrf(error: CSRFError) -> tuple[Response | str, int]:
        if request.path.startswith(API_PREFIX + "/"):
            return api_error(
                403,
                _(
                    "Cookie-authenticated writes need a same-origin request or "
                    "an X-CSRFToken header; scripts should use an API token."
                ),
                error,
            ), 403
        return _render(
            400,
            _(
                "Your form expired or was sent from another site (missing or invalid CSRF "
                "token). Reload the page and try again; your text was not saved."
            ),
        )

    @app.errorhandler(SchemaOutOfDate)
    def _schema(error: SchemaOutOfDate) -> tuple[Response | str, int]:
        log.error("%s", error)
        return _render(503, str(error))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> tuple[Response | str, int]:
        code = error.code or 500
        # Our own abort(code, "message") texts are shown; Werkzeug's stock ones are not.
        custom = error.description != type(error).description and code != 429
        return _render(code, error.description if custom and code < 500 else None)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> tuple[Response | str, int]:
        log.exception("unhandled error", exc_info=error)
        return _render(InternalServerError.code, None)
