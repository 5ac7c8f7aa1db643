"""Connection set-up and the start-up check that the schema is migrated."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path
from typing import Any

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import URL
from sqlalchemy import Engine
from sqlalchemy import event

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
UPGRADE_COMMAND = "flask --app wsgi db upgrade"
# How long a SQLite writer waits for another before "database is locked".
BUSY_TIMEOUT_SECONDS = 5


class SchemaOutOfDate(RuntimeError):
    """The database is not at the latest migration; the message names the fix."""


def sqlite_file(url: URL) -> str | None:
    """The database file's path if the URL names a SQLite file; None for an in-memory SQLite
    database (all its connections are in one process) or another database."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return url.database


def use_wal(connection: Any, wait_seconds: float = BUSY_TIMEOUT_SECONDS) -> None:
    """Put a SQLite file in WAL mode, waiting for another connection that holds it.

    Switching a new file to WAL needs its write lock, and SQLite answers "database is locked"
    at once instead of waiting in its busy handler: two workers opening a fresh file together
    (the rate limiter's counters, at the first sign-ins after a start) failed one request.
    """
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or time.monotonic() >= deadline:
                raise
            time.sleep(0.005)


def configure_sqlite(engine: Engine) -> None:
    """WAL lets readers and one writer work at once; foreign keys are off by default in SQLite."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        if sqlite_file(engine.url) is not None:
            use_wal(cursor)
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.close()


def head_revision() -> str | None:
    """The newest revision in migrations/versions."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return ScriptDirectory.from_config(config).get_current_head()


def check_schema(engine: Engine) -> None:
    """Raise SchemaOutOfDate unless the database is at the head revision."""
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    head = head_revision()
    if current == head:
        return
    state = "has no Porch tables yet" if current is None else f"is at revision {current}"
    raise SchemaOutOfDate(
        f"The database {state}; the code expects revision {head}. "
        f"Upgrade it with: {UPGRADE_COMMAND}  (or `make migrate`)."
    )
