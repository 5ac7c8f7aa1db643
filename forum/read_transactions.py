"""PostgreSQL: a transaction that only read ends with COMMIT, not ROLLBACK, so psycopg keeps
its prepared statements.

psycopg prepares a statement once a connection has run it five times, and forgets every
prepared statement of the connection on each ROLLBACK. A request's session rolls back its
transaction when it closes, and most requests only read (a form's POST commits, then reads the
answer's rows in a second transaction that is rolled back), so no statement was ever prepared:
PostgreSQL parsed and planned each statement of each request anew. For a transaction that only
read, COMMIT and ROLLBACK leave the database the same; anything else (a write, DDL, SET
without LOCAL, a savepoint) still rolls back, as does a transaction a failed statement aborted.
"""

from __future__ import annotations

from typing import Any

from psycopg.pq import TransactionStatus
from sqlalchemy import Engine
from sqlalchemy import event

_CHANGED = "porch_transaction_changed"  # the DBAPI connection's info: not only reads so far
# SET LOCAL lasts until the transaction ends, COMMIT or ROLLBACK alike.
_READS = ("SELECT", "SHOW", "SET LOCAL")


def end_reads_with_commit(engine: Engine) -> None:
    """For a PostgreSQL engine (psycopg); nothing for another."""
    if engine.dialect.name != "postgresql" or engine.dialect.driver != "psycopg":
        return
    dialect = engine.dialect
    rollback = dialect.do_rollback

    def do_rollback(connection: Any) -> None:
        if _only_read(connection):
            dialect.do_commit(connection)  # the commit's own wrappers see a commit that read
        else:
            rollback(connection)

    def do_commit_forgets(connection: Any, commit: Any = dialect.do_commit) -> None:
        _only_read(connection)
        commit(connection)

    setattr(dialect, "do_rollback", do_rollback)  # noqa: B010  (mypy: a method replaced)
    setattr(dialect, "do_commit", do_commit_forgets)  # noqa: B010

    @event.listens_for(engine, "after_cursor_execute")
    def _after(connection: Any, _cursor: Any, statement: str, *rest: Any) -> None:
        context = rest[1]
        if (context is not None and context.is_crud) or not only_reads(statement):
            connection.connection.info[_CHANGED] = True


def _only_read(connection: Any) -> bool:
    """Whether the transaction ending on `connection` is open and only read; forgotten with it."""
    try:
        changed = connection.info.pop(_CHANGED, False)
    except NotImplementedError:  # the dialect's first-connect probe: rolled back as usual
        return False
    status = connection.driver_connection.info.transaction_status
    return not changed and status == TransactionStatus.INTRANS


def only_reads(statement: str) -> bool:
    """Whether a statement's text is a plain read. A CTE may write, so WITH counts as a change."""
    return statement.lstrip()[:9].upper().startswith(_READS)
