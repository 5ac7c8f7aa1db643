"""This process's commits that wrote, counted: what a reader remembering rows between requests
checks so that its own process's writes are seen at once.

Other processes' writes reach such a reader another way (the SQLite file's change stamp,
PostgreSQL's notices: see web/caching/version_reader.py); a write of this process must be seen
by the very next request, which may arrive before the notice of it does (a form's redirect).
Counted at the engine, after the commit, so every writer counts (the ORM, Core, raw SQL) and a
reader never remembers what it read before the commit under the count that follows it.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import Engine
from sqlalchemy import event

from forum.sqlite_turns import is_write

_WROTE = "porch_transaction_wrote"  # the DBAPI connection's info: its open transaction wrote
_counter = itertools.count(1)
_count = 0


def written_commits() -> int:
    """Changes whenever a transaction of this process that wrote has committed."""
    return _count


def count_written_commits(engine: Engine) -> None:
    dialect = engine.dialect
    commit, rollback = dialect.do_commit, dialect.do_rollback

    def do_commit(connection: Any) -> None:
        commit(connection)
        if _wrote(connection):
            _counted()

    def do_rollback(connection: Any) -> None:
        _wrote(connection)
        rollback(connection)

    setattr(dialect, "do_commit", do_commit)  # noqa: B010  (mypy: a method replaced)
    setattr(dialect, "do_rollback", do_rollback)  # noqa: B010

    @event.listens_for(engine, "after_cursor_execute")
    def _after(connection: Any, _cursor: Any, statement: str, *rest: Any) -> None:
        context = rest[1]
        if not ((context is not None and context.is_crud) or is_write(statement)):
            return
        if _in_transaction(connection.connection.driver_connection):
            connection.connection.info[_WROTE] = True
        else:  # autocommit: committed already
            _counted()


def _in_transaction(driver: Any) -> bool:
    """Whether the driver's connection holds an open transaction (else it autocommits)."""
    open_transaction = getattr(driver, "in_transaction", None)  # sqlite3's
    if open_transaction is not None:
        return bool(open_transaction)
    return not driver.autocommit  # psycopg's


def _wrote(connection: Any) -> bool:
    """Whether the transaction ending on `connection` wrote; forgotten with it."""
    try:
        return bool(connection.info.pop(_WROTE, False))
    except NotImplementedError:  # the dialect's first-connect probe: no info, nothing written
        return False


def _counted() -> None:
    global _count
    _count = next(_counter)
