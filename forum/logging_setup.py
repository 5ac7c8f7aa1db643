"""Logging in one place: one JSON object per line (or plain text), each with the request id."""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import UTC
from datetime import datetime
from typing import Any

request_id_var: ContextVar[str | None] = ContextVar("porch_request_id", default=None)

# Attributes every LogRecord has; anything else was passed with `extra=` and is logged too.
_STANDARD = frozenset(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message"}


class RequestIdFilter(logging.Filter):
    """Stamp every record made while a request is served with that request's id."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = request_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "message", "request_id", ...extra fields} on one line.

    Every request logs a line, and on a cached page the line cost more than the page: the
    encoder is built once and the time's date and seconds are spelled once a second."""

    _encode = json.JSONEncoder(default=str, ensure_ascii=False).encode

    def __init__(self) -> None:
        super().__init__()
        self._second: tuple[int, str] = (-1, "")

    def _time(self, created: float) -> str:
        second = int(created)
        micros = round((created - second) * 1_000_000)  # as datetime rounds it
        if micros == 1_000_000:
            second, micros = second + 1, 0
        if self._second[0] != second:  # a race here only spells the same second twice
            spelled = datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%dT%H:%M:%S")
            self._second = (second, spelled)
        return f"{self._second[1]}.{micros // 1000:03d}+00:00"

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": self._time(record.created),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and value is not None:
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return self._encode(entry)


TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"


def configure(log_format: str) -> None:
    """Send INFO and above to stderr as JSON lines or readable text; safe to call again."""
    _skip_unused_record_fields()
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    for handler in root.handlers:
        if getattr(handler, "porch", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.porch = True  # type: ignore[attr-defined]
    handler.addFilter(RequestIdFilter())
    is_json = log_format == "json"
    handler.setFormatter(JsonFormatter() if is_json else logging.Formatter(TEXT_FORMAT))
    root.addHandler(handler)
    migration_log = logging.getLogger("alembic.runtime.migration")
    if not any(isinstance(f, _QuietSchemaChecks) for f in migration_log.filters):
        migration_log.addFilter(_QuietSchemaChecks())


def _skip_unused_record_fields() -> None:
    """No format here (nor gunicorn's, which shows the pid) writes the caller's file and line,
    the thread or the multiprocessing name, so records need not look them up: they were a
    fifth of a cached page's cost (the logging HOWTO's "Optimization" section names these)."""
    logging.logThreads = False
    logging.logMultiprocessing = False
    logging._srcfile = None  # the HOWTO's switch for the caller lookup


class _QuietSchemaChecks(logging.Filter):
    """Alembic announces its context on every schema check (each /readyz); upgrades still log."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not message.startswith(("Context impl", "Will assume"))
