"""The rate limiter's counters in a SQLite file beside the database, shared by every worker.

Without Redis the counters lived in each process, so `make run`'s gunicorn, with a worker per
core, let a guesser try a password (or a poster post) once per worker for every try the limit
allows. The embedded default's workers all run on one machine beside `<database>`; they count
together in `<database>-limits`. A counter is one row, raised in one statement, so two workers
hitting the same key at once never lose a hit. Counts are not precious, so commits do not
wait for the disk (WAL with synchronous=NORMAL, as the database itself: a power cut may lose the
last hits, never the file).

Fixed windows only (Flask-Limiter's default strategy), as limits' Redis and memory storages
count them: a key's window starts at its first hit and lasts the limit's period.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from urllib.parse import quote
from urllib.parse import unquote
from urllib.parse import urlsplit

from limits.storage import Storage

from forum.database import use_wal

SCHEME = "porch-sqlite"
SWEEP_SECONDS = 60.0  # expired rows are deleted at most this often per process
_BUSY_SECONDS = 5  # a writer waits this long for another before giving up

_CREATE = (
    "CREATE TABLE IF NOT EXISTS counter ("
    "key TEXT PRIMARY KEY, hits INTEGER NOT NULL, expires_at REAL NOT NULL) WITHOUT ROWID"
)
# A window that has run out starts again at this hit, as a fresh key would.
_INCR = (
    "INSERT INTO counter (key, hits, expires_at) VALUES (:key, :amount, :now + :expiry) "
    "ON CONFLICT (key) DO UPDATE SET "
    "hits = CASE WHEN expires_at <= :now THEN :amount ELSE hits + :amount END, "
    "expires_at = CASE WHEN expires_at <= :now THEN :now + :expiry ELSE expires_at END "
    "RETURNING hits"
)


def uri_for(database_path: str) -> str:
    """The storage URI of the counters kept beside this SQLite database file."""
    return f"{SCHEME}://{quote(os.path.abspath(database_path) + '-limits')}"


class SqliteFileStorage(Storage):
    STORAGE_SCHEME = [SCHEME]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        super().__init__(uri, wrap_exceptions, **options)
        if not uri:
            raise ValueError(f"{SCHEME}:// needs the counters' file path")
        self.path = unquote(urlsplit(uri).path)
        self._local = threading.local()  # a connection per thread (sqlite3 objects are not shared)
        self._next_sweep = 0.0

    @property
    def base_exceptions(self) -> type[Exception] | tuple[type[Exception], ...]:
        return sqlite3.Error

    def _connection(self) -> sqlite3.Connection:
        # Keyed by process too: a connection opened before gunicorn forks stays the master's.
        if getattr(self._local, "pid", None) != os.getpid():
            opened = sqlite3.connect(self.path, isolation_level=None, timeout=_BUSY_SECONDS)
            use_wal(opened, _BUSY_SECONDS)
            opened.execute("PRAGMA synchronous=NORMAL")
            opened.execute(_CREATE)
            self._local.connection, self._local.pid = opened, os.getpid()
        connection: sqlite3.Connection = self._local.connection
        return connection

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        now = time.time()
        connection = self._connection()
        (hits,) = connection.execute(
            _INCR, {"key": key, "amount": amount, "now": now, "expiry": expiry}
        ).fetchone()
        if now >= self._next_sweep:
            self._next_sweep = now + SWEEP_SECONDS
            connection.execute("DELETE FROM counter WHERE expires_at <= ?", (now,))
        return int(hits)

    def get(self, key: str) -> int:
        row = self._live(key)
        return int(row[0]) if row else 0

    def get_expiry(self, key: str) -> float:
        row = self._live(key)
        return float(row[1]) if row else time.time()

    def _live(self, key: str) -> tuple[int, float] | None:
        row: tuple[int, float] | None = (
            self._connection()
            .execute(
                "SELECT hits, expires_at FROM counter WHERE key = ? AND expires_at > ?",
                (key, time.time()),
            )
            .fetchone()
        )
        return row

    def check(self) -> bool:
        try:
            self._connection().execute("SELECT 1").fetchone()
        except sqlite3.Error:
            return False
        return True

    def reset(self) -> int | None:
        return self._connection().execute("DELETE FROM counter").rowcount

    def clear(self, key: str) -> None:
        self._connection().execute("DELETE FROM counter WHERE key = ?", (key,))
