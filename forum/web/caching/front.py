"""Anonymous readers' cache hits, answered before Flask.

A hit through Flask (pages.py) still pays for the request context, the session, a dozen hooks
and a Response built around the stored bytes: about ten times what sending them costs. This
WSGI layer answers the commonest request, a reader with no session or remember-me cookie asking
for a public page, from a copy of Flask's own earlier answer to it (headers and body, encoded as
sent), kept under the same kind of key: the address, the language, the encoding and the page's
version, read before anything else. Everything else, and every miss, goes to Flask unchanged,
and Flask's answer to a miss is what gets kept.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException
from werkzeug.http import is_resource_modified
from werkzeug.wrappers import Request

from forum import observability
from forum.extensions import db
from forum.i18n import offered_languages
from forum.logging_setup import request_id_var
from forum.web.caching.pages import READ_VERSION
from forum.web.caching.pages import VERSION_OF
from forum.web.caching.pages import page_key
from forum.web.caching.store import MemoryStore
from forum.web.caching.store import Store
from forum.web.caching.store import backend_kind
from forum.web.caching.store import page_memory_bytes
from forum.web.caching.version_reader import VersionReader
from forum.web.serving import requestlog

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse
    from _typeshed.wsgi import WSGIApplication
    from _typeshed.wsgi import WSGIEnvironment
    from flask import Flask

log = logging.getLogger(__name__)

# Made fresh for every answer, so never kept with a page.
_NOT_KEPT = frozenset({"content-length", "date", "x-request-id", "x-porch-cache"})
# A 304 says the reader's copy is current: no body, so nothing that describes one.
_NOT_IN_304 = frozenset({"content-length", "content-type", "content-encoding"})


@dataclass(frozen=True)
class _Answer:
    """A kept answer, decoded; sized by its body for the memory store's budget."""

    headers: list[tuple[str, str]]
    body: bytes

    def __len__(self) -> int:
        return len(self.body)


class PageFront:
    def __init__(self, app: Flask, inner: WSGIApplication) -> None:
        self.app = app
        self.inner = inner
        config = app.config
        with app.app_context():
            self.versions = VersionReader(db.engine)
            self.languages = list(offered_languages())
        # The memory backend is this process's own: the decoded copies here are enough. A
        # shared backend (a directory, Redis) also gets them, for the other workers.
        # Keys hold the page's version, so a kept answer is never stale, only old.
        self.kept: MemoryStore[_Answer] = MemoryStore(page_memory_bytes(config))
        self.share = backend_kind(config) in ("filesystem", "redis")
        self.seconds = int(config["PAGE_CACHE_SECONDS"])
        remember = config.get("REMEMBER_COOKIE_NAME", "remember_token")
        self.private_cookies = (f"{config['SESSION_COOKIE_NAME']}=", f"{remember}=")
        self.compress = bool(config["COMPRESS"])
        self.proxies_trusted = bool(config["TRUSTED_PROXIES"])
        self.metrics = bool(config["METRICS"])
        # Nothing is answered here before Flask has answered once in this process: its first
        # request checks that the schema is migrated, which a stored page must not skip.
        self.flask_answered = False
        # Parsed once per distinct value: routes by address, choices by the raw header.
        self._routes: dict[tuple[str, str], tuple[str, Mapping[str, Any]] | None] = {}
        self._languages: dict[str, str] = {}
        self._encodings: dict[str, str] = {}

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET" or self._carries_a_visitor(environ):
            return self.inner(environ, start_response)
        started = time.perf_counter()
        request = Request(environ)
        key, endpoint = self._key(request)
        if key is None:
            return self.inner(environ, start_response)
        found = self._find(key) if self.flask_answered else None
        if found is None:
            return self._ask_flask(environ, start_response, key, endpoint)
        observability.record_cache(hit=True)
        return self._answer(request, *found, start_response, endpoint, started)

    def _carries_a_visitor(self, environ: WSGIEnvironment) -> bool:
        """A session or remember-me cookie: Flask decides what the page shows them."""
        cookies = environ.get("HTTP_COOKIE", "")
        return any(name in cookies for name in self.private_cookies)

    def _store(self) -> Store:
        found: Store = self.app.extensions["porch_page_cache"]
        return found

    def _find(self, key: str) -> tuple[list[tuple[str, str]], bytes] | None:
        kept = self.kept.get_many([key])[0]
        if kept is not None or not self.share:
            return (kept.headers, kept.body) if kept is not None else None
        stored = self._store().get_many([key])[0]
        if stored is None:
            return None
        head, body = stored.split(b"\n", 1)
        headers = [(name, value) for name, value in json.loads(head)["headers"]]
        self.kept.set(key, _Answer(headers, body), self.seconds)
        return headers, body

    def _route(self, environ: WSGIEnvironment) -> tuple[str, Mapping[str, Any]] | None:
        """The public page's endpoint and arguments; readers ask for the same few addresses."""
        address = (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""))
        if address in self._routes:
            return self._routes[address]
        try:
            endpoint, view_args = self.app.url_map.bind_to_environ(environ).match()
        except HTTPException:  # no such route, or a redirect: Flask answers those
            return None
        public = hasattr(self.app.view_functions.get(endpoint), VERSION_OF)
        route = (endpoint, view_args) if public else None
        _remember(self._routes, address, route)
        return route

    def _language(self, request: Request) -> str:
        header = request.environ.get("HTTP_ACCEPT_LANGUAGE", "")
        if header not in self._languages:
            best = request.accept_languages.best_match(self.languages) or "site-default"
            _remember(self._languages, header, best)
        return self._languages[header]

    def _encoding(self, request: Request) -> str:
        header = request.environ.get("HTTP_ACCEPT_ENCODING", "")
        if header not in self._encodings:
            gzip = self.compress and request.accept_encodings["gzip"] > 0
            _remember(self._encodings, header, "gzip" if gzip else "identity")
        return self._encodings[header]

    def _key(self, request: Request) -> tuple[str | None, str]:
        """The stored answer's key, or None when this is no public page (or it is unpublished)."""
        route = self._route(request.environ)
        if route is None:
            return None, ""
        endpoint, view_args = route
        version_of = getattr(self.app.view_functions[endpoint], VERSION_OF)
        try:
            version = self.versions.read(version_of, view_args)
        except SQLAlchemyError:  # Flask shows the database's trouble as its error page
            return None, endpoint
        request.environ[READ_VERSION] = version  # Flask, on a miss, files its copy under it too
        if version is None:
            return None, endpoint
        namespace = self.app.extensions["porch_page_cache_namespace"]
        language = self._language(request)
        page = page_key(namespace, request.host, request.full_path, language, version)
        return f"front|{self._encoding(request)}|{page}", endpoint

    def _ask_flask(
        self, environ: WSGIEnvironment, start_response: StartResponse, key: str, endpoint: str
    ) -> Iterable[bytes]:
        """Flask answers; a public page's answer is kept for the next reader."""
        seen: dict[str, Any] = {}

        def remember(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"], seen["headers"] = status, headers
            return start_response(status, headers, exc_info)

        answer = self.inner(environ, remember)
        headers = seen.get("headers", [])
        names = {name.lower() for name, _ in headers}
        if not seen.get("status", "").startswith("200 ") or "x-porch-cache" not in names:
            return answer
        self.flask_answered = True
        if "set-cookie" in names:  # never happens to a public page; never keep one that does
            return answer
        try:
            body = b"".join(answer)
        finally:
            close = getattr(answer, "close", None)
            if close is not None:
                close()
        kept = [(name, value) for name, value in headers if name.lower() not in _NOT_KEPT]
        self.kept.set(key, _Answer(kept, body), self.seconds)
        if self.share:
            head = json.dumps({"headers": kept}).encode()
            self._store().set(key, head + b"\n" + body, self.seconds)
        return [body]

    def _answer(
        self,
        request: Request,
        kept: list[tuple[str, str]],
        body: bytes,
        start_response: StartResponse,
        endpoint: str,
        started: float,
    ) -> Iterable[bytes]:
        headers = list(kept)
        etag = next((value for name, value in headers if name.lower() == "etag"), None)
        request_id = requestlog.request_id(
            request.headers.get(requestlog.HEADER, ""), self.proxies_trusted
        )
        headers += [("X-Porch-Cache", "hit"), (requestlog.HEADER, request_id)]
        asks = "HTTP_IF_NONE_MATCH" in request.environ
        if asks and etag is not None and not is_resource_modified(request.environ, etag=etag):
            status, body = 304, b""
            headers = [(n, v) for n, v in headers if n.lower() not in _NOT_IN_304]
            start_response("304 Not Modified", headers)
        else:
            status = 200
            start_response("200 OK", [*headers, ("Content-Length", str(len(body)))])
        self._log(request, request_id, endpoint, status, started)
        return [body]

    def _log(
        self, request: Request, request_id: str, endpoint: str, status: int, started: float
    ) -> None:
        seconds = time.perf_counter() - started
        if self.metrics:
            observability.record_request(endpoint, "GET", seconds)
        token = request_id_var.set(request_id)
        try:
            requestlog.log_request("GET", request.path, status, seconds, request.remote_addr)
        finally:
            request_id_var.reset(token)


_REMEMBERED = 1024  # per table: a visitor sending endless new headers only empties it


def _remember(table: dict[Any, Any], key: Any, value: Any) -> None:
    if len(table) >= _REMEMBERED:
        table.clear()
    table[key] = value


def install(app: Flask) -> None:
    """Innermost of the WSGI layers, so a trusted proxy's address fix reaches it first."""
    front = PageFront(app, app.wsgi_app)
    app.extensions["porch_page_front"] = front
    app.wsgi_app = front  # type: ignore[method-assign]
