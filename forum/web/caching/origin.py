"""Cross-site request forgery: the browser's own word first, the token where it is silent.

Every POST (PUT, PATCH, DELETE) is refused with 403 when the browser says it comes from
another site: `Sec-Fetch-Site` other than same-origin or none, or else an `Origin` whose host
is not this site's. Without either header (old browsers, scripts) the Flask-WTF token decides.
Forms on cached pages carry no token: their endpoints (marked with `tokenless_when_same_origin`)
accept a request the headers prove same-origin; every other endpoint still needs its token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from typing import TypeVar
from urllib.parse import urlsplit

from flask import Blueprint
from flask import current_app
from flask import g
from flask import jsonify
from flask import request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import generate_csrf
from werkzeug.exceptions import Forbidden

from forum.extensions import csrf
from forum.i18n import lazy_gettext

View = TypeVar("View", bound=Callable[..., Any])

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_TOKENLESS: set[str] = set()  # "module.function" of views whose forms appear on cached pages
# Requests a part of the app accepts from other sites and checks itself (the API's CORS).
_CROSS_ORIGIN_CHECKED: list[Callable[[], bool]] = []

bp = Blueprint("session_csrf", __name__)


def allow_cross_origin(accepts: Callable[[], bool]) -> None:
    """Cross-site writes that `accepts()` are not refused here; the part's own checks decide."""
    if accepts not in _CROSS_ORIGIN_CHECKED:
        _CROSS_ORIGIN_CHECKED.append(accepts)


def tokenless_when_same_origin(view: View) -> View:
    """This view's form is on cached pages: a proven same-origin request needs no token."""
    _TOKENLESS.add(f"{view.__module__}.{view.__name__}")
    return view


CROSS_ORIGIN_MESSAGE = lazy_gettext(
    "This form was sent from another site, so it was refused and nothing was saved. "
    "If you meant to send it, go back to this site and send it from here."
)


def same_origin() -> bool | None:
    """True or False when the browser said where the request comes from; None if silent."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site in ("same-origin", "none")  # "none": typed or bookmarked by the user
    origin = request.headers.get("Origin")
    if origin is None:
        return None
    return urlsplit(origin).netloc.lower() in _own_hosts()


def _own_hosts() -> set[str]:
    hosts = {request.host.lower()}
    if current_app.config["SITE_URL"]:
        hosts.add(urlsplit(current_app.config["SITE_URL"]).netloc.lower())
    return hosts


def check_request() -> None:
    """before_request: refuse cross-origin writes, then check the token where it is needed."""
    if request.method not in UNSAFE_METHODS:
        return
    verdict = same_origin()
    if verdict is False and not any(accepts() for accepts in _CROSS_ORIGIN_CHECKED):
        raise Forbidden(str(CROSS_ORIGIN_MESSAGE))
    if not current_app.config.get("WTF_CSRF_ENABLED", True) or not request.endpoint:
        return
    view = current_app.view_functions.get(request.endpoint)
    if verdict and view is not None and f"{view.__module__}.{view.__name__}" in _TOKENLESS:
        g.csrf_valid = True  # the forms' own token fields accept it too
        return
    csrf.protect(apply_exemptions=True)


@bp.get("/session/csrf")
def token() -> ResponseReturnValue:
    """A token for a form on a cached page, fetched by porch.js when the form is first used."""
    response = jsonify(csrf_token=generate_csrf())
    response.headers["Cache-Control"] = "private, no-store"
    return response
