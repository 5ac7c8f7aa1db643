"""Anonymous readers' pages: rendered once per version, then served from the cache.

A request is anonymous when its session holds nothing of the visitor's (no account, no guest
token, no remembered details, no flash message) and it has no remember-me cookie. Such a
page is rendered as for nobody in particular: no CSRF token in its forms (the Origin check
and /session/csrf stand in for it, see origin.py), no cookie set, so proxies may keep it too.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any
from typing import TypeVar

from flask import Response
from flask import current_app
from flask import g
from flask import make_response
from flask import request
from flask import session

from forum.extensions import db
from forum.extensions import login_manager
from forum.i18n import browser_language
from forum.observability import record_cache
from forum.web.caching import remembered
from forum.web.caching.store import Store

View = TypeVar("View", bound=Callable[..., Any])

# Session keys that say nothing about the visitor: a CSRF token, Flask-Login's bookkeeping.
_IMPERSONAL_KEYS = frozenset({"csrf_token", "_fresh", "_id", "_permanent"})
_PUBLIC = "porch_public_page"


def store() -> Store:
    found: Store = current_app.extensions["porch_page_cache"]
    return found


def is_anonymous_request() -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies:
        return False
    return set(session.keys()) <= _IMPERSONAL_KEYS


def render_as_nobody() -> None:
    """From here on the page is rendered for no one: no user, no token, no cookie saved."""
    g._login_user = login_manager.anonymous_user()  # Flask-Login reads it instead of loading
    g.csrf_token = ""  # nosec B105  # Flask-WTF's generate_csrf returns this instead of minting one
    setattr(g, _PUBLIC, True)


def is_public_response() -> bool:
    return bool(g.get(_PUBLIC))


VERSION_OF = "porch_version_of"  # the attribute front.py reads on a public page's view
READ_VERSION = "porch.page_version"  # the environ key front.py leaves the version it read in
_UNREAD = object()


def public_page(version_of: Callable[..., object | None]) -> Callable[[View], View]:
    """Cache a view's anonymous 200 answers under (address, version_of(connection, **view_args)).

    `version_of` reads the version before the page's own queries, so a stored copy is never
    newer than its key; None (no such page) renders normally and caches nothing.
    """

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(**kwargs: Any) -> Any:
            if not is_anonymous_request():
                _read_without_transaction()
                return _private(make_response(view(**kwargs)))
            version = request.environ.get(READ_VERSION, _UNREAD)
            if version is _UNREAD:
                with db.engine.connect() as connection:
                    version = version_of(connection, **kwargs)
            render_as_nobody()
            if version is None:
                return view(**kwargs)
            namespace = current_app.extensions["porch_page_cache_namespace"]
            # The language is part of the address: a German reader never gets the English page.
            language = browser_language() or "site-default"
            key = page_key(namespace, request.host, request.full_path, language, version)
            stored = store().get_many([key])[0]
            record_cache(hit=stored is not None)
            if stored is not None:
                return _answer(stored, "hit")
            response = make_response(view(**kwargs))
            if response.status_code != 200 or response.direct_passthrough:
                return response
            stored = _pack(response)
            store().set(key, stored, int(current_app.config["PAGE_CACHE_SECONDS"]))
            return _answer(stored, "miss")

        setattr(wrapper, VERSION_OF, version_of)
        return wrapper  # type: ignore[return-value]

    return decorate


def _read_without_transaction() -> None:
    """A public page only reads: on PostgreSQL it reads in autocommit, which spares the BEGIN
    and the ROLLBACK, two of a signed-in page's five round trips. (SQLite opens no transaction
    for reads anyway; setting its level back on return to the pool would cost statements.)
    Not where the page's rows are remembered between requests: it may need no connection."""
    if request.method in ("GET", "HEAD") and db.engine.dialect.name == "postgresql":
        if not db.session().in_transaction() and remembered.reader() is None:
            db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


def page_key(namespace: str, host: str, path: str, language: str, version: object) -> str:
    return f"page|{namespace}|{host}|{path}|{language}|{version}"


def _private(response: Response) -> Response:
    """A page with the visitor's own state in it: no shared cache may keep it."""
    response.headers.setdefault("Cache-Control", "private, no-cache")
    response.vary.add("Cookie")
    return response


def _pack(response: Response) -> bytes:
    body = response.get_data()
    etag = hashlib.sha256(body).hexdigest()[:32]
    return f"{etag}\n{response.mimetype}\n".encode() + body


def _answer(stored: bytes, outcome: str) -> Response:
    etag, mimetype, body = stored.split(b"\n", 2)
    response = Response(body, mimetype=mimetype.decode())
    response.headers["X-Porch-Cache"] = outcome  # for benchmarks and proxy logs
    response.set_etag(etag.decode())
    config = current_app.config
    response.headers["Cache-Control"] = (
        f"public, max-age=0, s-maxage={int(config['PAGE_CACHE_S_MAXAGE'])}, "
        f"stale-while-revalidate={int(config['PAGE_CACHE_STALE_SECONDS'])}"
    )
    response.vary.add("Cookie")
    response.vary.add("Accept-Language")  # the page's language was chosen from it
    response.make_conditional(request)  # 304 when the reader's copy is still this one
    del response.headers["Date"]  # make_conditional adds one; the server sends its own
    return response
