"""Running a statement built once (Core, bound parameters) on the session's connection.

Session.execute gives every statement the ORM's per-query work (compile state, entity
loading, events), about four times what a reused Core statement costs on its own. run() skips
it and keeps what matters of it: anything staged in the session is flushed first, as the ORM's
autoflush would.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any

from sqlalchemy import CursorResult
from sqlalchemy import Executable
from sqlalchemy import text

from forum.extensions import db


def run(
    statement: Executable, values: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None
) -> CursorResult[Any]:
    """The statement's result; a list of values runs it once for each (executemany)."""
    session = db.session()
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection().execute(statement, values)


# Until the transaction ends, whether it commits or rolls back.
_GENERIC_PLANS = text("SET LOCAL plan_cache_mode = force_generic_plan")


def run_planned_once(
    statement: Executable, values: Mapping[str, Any] | None = None
) -> CursorResult[Any]:
    """run(), with PostgreSQL told to use the statement's one plan made without its values.

    psycopg prepares a statement run often; PostgreSQL then still plans it anew for each run's
    values while it estimates those plans cheaper than the one made without values. For the
    few statements whose plan without values is as fast (the tests check it uses their
    indexes), that planning took more time than running them: 0.7 ms of a post's 1 ms for a
    new reply's number. The setting holds for the rest of the transaction; SQLite plans every
    statement once anyway.
    """
    connection = db.session().connection()
    if connection.dialect.name == "postgresql":
        # Once per transaction (or savepoint, whose rollback would undo it): a post's rules
        # and its answer's number share one.
        transaction = connection.get_nested_transaction() or connection.get_transaction()
        set_in = connection.info.get(_GENERIC_PLANS_SET_IN)
        if set_in is None or set_in() is not transaction:
            run(_GENERIC_PLANS)
            connection.info[_GENERIC_PLANS_SET_IN] = weakref.ref(transaction)
    return run(statement, values)


_GENERIC_PLANS_SET_IN = "porch_generic_plans_set_in"
