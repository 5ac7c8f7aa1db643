"""A request id for every request (from a trusted proxy, or made here) and one log line each."""

from __future__ import annotations

import itertools
import logging
import os
import re
import time

from flask import Flask
from flask import Response
from flask import current_app
from flask import g
from flask import request

from forum import observability
from forum.logging_setup import request_id_var

log = logging.getLogger("porch.request")
HEADER = "X-Request-Id"
_VALID_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")


class _Ids:
    """Ids unique across processes and restarts: a random prefix per process, then a count.
    (uuid4 reads the kernel's random source on every request, a visible share of a cached
    page's cost; an id needs to be unique, not unguessable.)"""

    def __init__(self) -> None:
        self._renew()
        os.register_at_fork(after_in_child=self._renew)  # a gunicorn worker gets its own

    def _renew(self) -> None:
        self._prefix = os.urandom(8).hex()
        self._count = itertools.count(1)

    def next(self) -> str:
        return f"{self._prefix}{next(self._count):016x}"


_ids = _Ids()


def request_id(given: str, proxies_trusted: bool) -> str:
    """Believe the proxy's id only when proxies are trusted and the id is a plain token."""
    if proxies_trusted and _VALID_ID.fullmatch(given):
        return given
    return _ids.next()


def _incoming_id() -> str:
    return request_id(request.headers.get(HEADER, ""), bool(current_app.config["TRUSTED_PROXIES"]))


def log_request(
    method: str, path: str, status: int, seconds: float, remote_addr: str | None
) -> None:
    """The one line per request (the request id comes from request_id_var)."""
    log.info(
        "%s %s %s %.1f ms",
        method,
        path,
        status,
        seconds * 1000,
        extra={
            "method": method,
            "path": path,
            "status": status,
            "duration_ms": round(seconds * 1000, 2),
            "remote_addr": remote_addr,
        },
    )


def _start() -> None:
    g.request_id = _incoming_id()
    g.request_started = time.perf_counter()
    request_id_var.set(g.request_id)


def _finish(response: Response) -> Response:
    request_id = g.get("request_id")
    if request_id is None:  # a request that failed before any hook ran
        return response
    response.headers[HEADER] = request_id
    seconds = time.perf_counter() - g.request_started
    endpoint = request.endpoint or "unmatched"
    if current_app.config["METRICS"]:
        observability.record_request(endpoint, request.method, seconds)
    log_request(request.method, request.path, response.status_code, seconds, request.remote_addr)
    return response


def _forget(_error: BaseException | None) -> None:
    request_id_var.set(None)


def register(app: Flask) -> None:
    app.before_request_funcs.setdefault(None, []).insert(0, _start)  # before any other hook
    app.after_request(_finish)
    app.teardown_request(_forget)
