"""SQLite writers take turns through a file lock instead of polling SQLite's own lock.

SQLite lets one connection write at a time. A writer that finds the lock taken sleeps in
SQLite's busy handler in growing steps (1, 2, 5 ... 100 ms) and tries again, so with a few
posters at once a waiter often sleeps on long after the lock is free: at 8 concurrent posters
one post in a hundred took over half a second. Here a connection about to begin a write
transaction first takes its turn: threads of one process queue on a lock, and the one at the
front of each process waits on an exclusive `flock` of `<database>-writer`, trying it again
every millisecond at most, until the holder lets go after its COMMIT or ROLLBACK.

Turns only order writers that would wait for each other anyway; SQLite's own locking stays
what keeps the data safe. A turn not granted within the busy timeout is skipped, and the
write goes ahead as it would without turns (SQLite then waits or says "database is locked").
"""

from __future__ import annotations

import os
import threading
import time
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import event

from forum.database import sqlite_file

try:
    import fcntl
except ImportError:  # not POSIX: writers simply wait in SQLite's busy handler
    fcntl = None  # type: ignore[assignment]

# pysqlite opens its implicit transaction before these (Python's sqlite3 "legacy" mode).
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def is_write(statement: str) -> bool:
    return statement.lstrip()[:7].upper().startswith(_WRITES)


class WriterTurns:
    """One database file's turns, shared by every connection of this process's engine."""

    def __init__(self, database: str, wait_seconds: float) -> None:
        self.path = database + "-writer"
        self.wait_seconds = wait_seconds
        self._turn = threading.Lock()  # this process's place in the queue
        self._owner: int | None = None  # the thread holding it
        self._holder: Any = None  # the DBAPI connection whose transaction holds it
        self._fd: int | None = None
        self._fd_pid: int | None = None

    def _file(self) -> int:
        """This process's own descriptor: a forked worker must not share its parent's, or
        the lock would not tell the two apart."""
        if self._fd_pid != os.getpid():
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            self._fd_pid = os.getpid()
        assert self._fd is not None  # nosec B101
        return self._fd

    def take(self, dbapi_connection: Any) -> None:
        """Wait for this connection's turn to write (skipped when it already writes, or
        when this thread's other connection holds the turn: waiting would be on itself)."""
        if dbapi_connection.in_transaction or self._owner == threading.get_ident():
            return
        deadline = time.monotonic() + self.wait_seconds
        if not self._turn.acquire(timeout=self.wait_seconds):
            return
        if not self._lock_file(deadline):
            self._turn.release()
            return
        self._owner, self._holder = threading.get_ident(), dbapi_connection

    def _lock_file(self, deadline: float) -> bool:
        """Only the front thread of each process waits here, so polling in short steps
        costs little; a blocking flock could not give up at the deadline."""
        pause = 0.0001
        while True:
            try:
                fcntl.flock(self._file(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    return False
                time.sleep(pause)
                pause = min(pause * 2, 0.001)

    def give_back(self, dbapi_connection: Any, closed: bool = False) -> None:
        """End the turn if this connection holds it and its transaction is over."""
        if self._holder is not dbapi_connection:
            return
        if not closed and dbapi_connection.in_transaction:
            return
        self._owner = self._holder = None
        fcntl.flock(self._file(), fcntl.LOCK_UN)
        self._turn.release()


def take_turns(engine: Engine, wait_seconds: float) -> WriterTurns | None:
    """Make the engine's writers on a SQLite file take turns; None where that does not apply
    (another database, an in-memory one, or no flock on this system). A turn not granted
    within wait_seconds (SQLite's busy timeout) is skipped."""
    database = sqlite_file(engine.url)
    if database is None or fcntl is None:
        return None
    turns = WriterTurns(database, wait_seconds)

    @event.listens_for(engine, "before_cursor_execute")
    def _before(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if is_write(statement):
            turns.take(connection.connection.dbapi_connection)

    @event.listens_for(engine, "after_cursor_execute")
    def _after(connection: Any, *_: Any) -> None:
        turns.give_back(connection.connection.dbapi_connection)  # a write outside a transaction

    # SQLAlchemy's commit and rollback events fire before the DBAPI call, and the turn must
    # last until after it: the dialect's own calls (which the pool's reset on return also
    # uses) are wrapped instead.
    dialect = engine.dialect
    for name in ("do_commit", "do_rollback", "do_close"):
        setattr(dialect, name, _then_give_back(getattr(dialect, name), turns, name == "do_close"))
    return turns


def _then_give_back(call: Any, turns: WriterTurns, closes: bool) -> Any:
    def wrapped(connection: Any) -> None:
        try:
            call(connection)
        finally:
            turns.give_back(getattr(connection, "dbapi_connection", connection), closes)

    return wrapped
