"""Running a statement built once (Core, bound parameters) on the session's connection.

Session.execute gives every statement the ORM's per-query work (compile state, entity
loading, events), about four times what a reused Core statement costs on its own. run() skips
it and keeps what matters of it: anything staged in the session is flushed first, as the ORM's
autoflush would.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import CursorResult
from sqlalchemy import Executable

from forum.extensions import db


def run(statement: Executable, values: Mapping[str, Any] | None = None) -> CursorResult[Any]:
    session = db.session()
    if session.autoflush and (session.new or session.dirty or session.deleted):
        session.flush()
    return session.connection().execute(statement, values)
