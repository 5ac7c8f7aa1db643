"""Porch processes sharing a SQLite file tell each other of their commits through shared memory.

Readers remember page versions between requests until something may have changed them. SQLite's
own signal for that, `PRAGMA data_version`, is a statement: a trip through the driver (which lets
go of the GIL and must queue to take it back) and a read of the WAL index under a file lock, on
every cached page, which at full load was a tenth of a worker's time. Instead, each commit that
wrote, from any Porch process on the file, puts a new random stamp in the 8 bytes of
`<database>-changes`, which every process maps into memory; a reader compares 8 bytes.

A stamp is random rather than counted so that two processes stamping at once can never write the
same value a reader already saw. A writer that is not Porch (the sqlite3 shell) leaves no stamp:
readers see its change when a remembered version lapses (version_reader.py).
"""

from __future__ import annotations

import mmap
import os
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import event

from forum.database import sqlite_file
from forum.sqlite_turns import is_write

_SIZE = 8


class ChangeStamp:
    """The shared stamp of one database file; mapped on first use, shared across fork."""

    def __init__(self, database: str) -> None:
        self.path = database + "-changes"
        self._map: mmap.mmap | None = None

    def _mapped(self) -> mmap.mmap:
        if self._map is None:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                if os.fstat(descriptor).st_size < _SIZE:
                    os.ftruncate(descriptor, _SIZE)  # zeros: a stamp like any other
                self._map = mmap.mmap(descriptor, _SIZE)  # MAP_SHARED: every process sees writes
            finally:
                os.close(descriptor)  # the mapping keeps the file
        return self._map

    def read(self) -> bytes:
        return self._mapped()[:_SIZE]

    def stamp(self) -> None:
        self._mapped()[:_SIZE] = os.urandom(_SIZE)


def stamp_commits(engine: Engine) -> ChangeStamp | None:
    """Stamp the engine's file after each commit that wrote; None where that does not apply
    (another database, or an in-memory one, whose connections are all in this process)."""
    database = sqlite_file(engine.url)
    if database is None:
        return None
    changes = ChangeStamp(database)
    dialect = engine.dialect
    commit = dialect.do_commit

    def do_commit(connection: Any) -> None:
        wrote = getattr(connection, "dbapi_connection", connection).in_transaction
        commit(connection)
        if wrote:  # pysqlite begins a transaction only for a write
            changes.stamp()

    setattr(dialect, "do_commit", do_commit)  # noqa: B010  (mypy: a method replaced)

    @event.listens_for(engine, "after_cursor_execute")
    def _after(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if is_write(statement) and not connection.connection.dbapi_connection.in_transaction:
            changes.stamp()  # a write in autocommit mode: committed already

    return changes
