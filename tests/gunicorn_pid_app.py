"""A WSGI app for tests/deploy/test_gunicorn_worker.py: each answer takes a moment and names
the worker process that gave it."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from collections.abc import Iterable
from typing import Any


def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if environ.get("PATH_INFO") != "/healthz":
        time.sleep(0.4)  # long enough that every client's request is in flight at once
    body = str(os.getpid()).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
