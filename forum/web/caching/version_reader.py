"""Page versions read for the front layer, on connections kept open between requests."""

from __future__ import annotations

import logging
import os
import queue
import sqlite3
import threading
import time
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from forum.database import configure_sqlite
from forum.services.version_notices import CHANNEL
from forum.sqlite_changes import ChangeStamp
from forum.written_commits import written_commits

log = logging.getLogger(__name__)

_MEMORY = "porch_versions_read"  # (change token, {(version_of, view args): (version, when)})
_REMEMBERED_AT_MOST = 4096  # per connection: pages, and members signed in


class VersionReader:
    """Reads page versions on connections kept open between requests, and remembers them.

    A pool checkout and its reset cost ten times the indexed query, so idle connections
    wait here instead, in autocommit: a read holds no transaction and no snapshot. An
    in-memory SQLite database (the tests') exists only on the app's own connections.

    A version (or any row a page read takes, such as the signed-in member) read is
    remembered until something may have changed it: on SQLite, the shared
    stamp every Porch process's commits change (sqlite_changes); on PostgreSQL a trigger's
    notice arrives (version_notices) for a commit in any process, and this process's own
    commits count at once. While no notices can be heard (the listener is
    connecting), nothing is remembered. A remembered version also lapses after
    `fresh_seconds`, because time alone changes some (a scheduled post going live).
    """

    fresh_seconds = 1.0

    def __init__(self, app_engine: Engine) -> None:
        self._shared = app_engine.url.database in (None, "", ":memory:")
        if self._shared:
            self._engine = app_engine
        else:
            self._engine = create_engine(
                app_engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT"
            )
            configure_sqlite(self._engine)  # the same busy timeout and WAL as the app's
        self._idle: queue.SimpleQueue[Connection] = queue.SimpleQueue()
        dialect = app_engine.dialect.name
        sqlite_file = not self._shared and dialect == "sqlite"
        self._stamp = ChangeStamp(str(app_engine.url.database)) if sqlite_file else None
        self._notices = _Notices(self._engine) if dialect == "postgresql" else None

    def read(self, version_of: Callable[..., object], view_args: Mapping[str, Any]) -> object:
        if self._shared:
            with self._engine.connect() as connection:
                return version_of(connection, **view_args)
        try:
            connection = self._idle.get_nowait()
        except queue.Empty:
            connection = self._engine.connect()
        try:
            token = self._change_token()
            if token is None:
                version = version_of(connection, **view_args)
            else:
                version = self._remembered(connection, token, version_of, view_args)
        except (SQLAlchemyError, sqlite3.Error):
            connection.close()  # maybe broken (a database restart): the next read opens anew
            raise
        self._idle.put(connection)
        return version

    def _change_token(self) -> object | None:
        """A value that differs once anything a page shows may have changed; None: unknown."""
        if self._stamp is not None:
            return self._stamp.read(), written_commits()
        if self._notices is not None:
            heard = self._notices.heard()
            return None if heard is None else (heard, written_commits())
        return None

    def _remembered(
        self,
        connection: Connection,
        token: object,
        version_of: Callable[..., object],
        view_args: Mapping[str, Any],
    ) -> object:
        memory: tuple[object, dict[Any, tuple[object, float]]] | None = connection.info.get(_MEMORY)
        if memory is None or memory[0] != token:
            memory = connection.info[_MEMORY] = (token, {})
        key = (version_of, tuple(sorted(view_args.items())))
        now = time.monotonic()
        known = memory[1].get(key)
        if known is not None and now - known[1] < self.fresh_seconds:
            return known[0]
        version = version_of(connection, **view_args)
        if len(memory[1]) >= _REMEMBERED_AT_MOST:  # a quiet site with a crowd signed in
            memory[1].clear()
        memory[1][key] = (version, now)
        return version

    def close(self) -> None:
        if self._notices is not None:
            self._notices.stop()
        while True:
            try:
                self._idle.get_nowait().close()
            except queue.Empty:
                return


class _Notices:
    """A thread of this process LISTENing on the version channel, counting what it hears."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._count = 0
        self._listening = False
        self._stopped = threading.Event()
        self._pid: int | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def heard(self) -> int | None:
        """How many notices arrived (and reconnections made); None while not listening."""
        if self._pid != os.getpid() or self._thread is None or not self._thread.is_alive():
            self._start()  # first use in this process (gunicorn forks after loading the app)
        return self._count if self._listening else None

    def _start(self) -> None:
        with self._lock:
            if self._pid == os.getpid() and self._thread is not None and self._thread.is_alive():
                return
            if self._stopped.is_set():
                return
            self._pid, self._listening = os.getpid(), False
            self._thread = threading.Thread(target=self._listen, name="porch-notices", daemon=True)
            self._thread.start()

    def _listen(self) -> None:
        while not self._stopped.is_set():
            try:
                with self._engine.connect() as connection:
                    driver: Any = connection.connection.driver_connection
                    driver.execute(f"LISTEN {CHANNEL}")
                    self._count += 1  # anything remembered before now may have missed a notice
                    self._listening = True
                    while not self._stopped.is_set():
                        for _notice in driver.notifies(timeout=1.0):
                            self._count += 1
            except Exception as error:  # noqa: BLE001  the database went away: retry, not remember
                self._listening = False
                self._count += 1
                log.warning("page versions: not listening for changes: %s", error)
                self._stopped.wait(1.0)
        self._listening = False

    def stop(self) -> None:
        self._stopped.set()
        self._listening = False
