"""A new reply's row written with two reused Core statements instead of the ORM's flushes.

The ORM would flush the INSERT, then the path (it ends with the new id) in a second flush:
each flush costs more CPU than its statement. Here the row goes in with every column's value
known (given, or the column's default, as the ORM would fill it), its path is set by id (on
PostgreSQL in the INSERT itself, one round trip), and
the same values become a persistent, loaded Reply in the session, so the answer and the hooks
that read it afterwards cost no query. The post's page version is raised at commit as for any
ORM write (cache_versions.post_changed).
"""

from __future__ import annotations

from typing import Any
from typing import cast

from sqlalchemy import Insert
from sqlalchemy import Integer
from sqlalchemy import Table
from sqlalchemy import Text
from sqlalchemy import bindparam
from sqlalchemy import cast as sql_cast
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import literal_column
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import make_transient_to_detached

from forum.extensions import db
from forum.models import Reply
from forum.models.reply import PATH_SEGMENT_WIDTH
from forum.models.reply import body_digest
from forum.models.reply import placed_under
from forum.services import cache_versions

_TABLE = cast(Table, Reply.__table__)
_COLUMNS = [column for column in _TABLE.columns if not column.primary_key]
_INSERT = insert(_TABLE).returning(_TABLE.c.id)
_PLACE = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("reply_id"))
    .values(path=bindparam("new_path"), root_id=bindparam("new_root_id"))
)


def insert_reply(given: dict[str, Any], parent: Reply | None) -> Reply:
    """Write a reply with these column values under `parent`; the caller commits."""
    values = {column.key: _value(column, given) for column in _COLUMNS}
    values["parent_id"] = parent.id if parent else None
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        placing = {
            "path_prefix": f"{parent.path}/" if parent else "",
            "parent_root_id": parent.root_id if parent else None,
        }
        reply_id: int = connection.execute(_placed_insert(), values | placing).scalar_one()
    else:
        reply_id = connection.execute(_INSERT, values).scalar_one()
    _, values["path"], values["root_id"] = placed_under(parent, reply_id)
    if connection.dialect.name != "postgresql":  # placed by id once it has one
        place = {"reply_id": reply_id, "new_path": values["path"], "new_root_id": values["root_id"]}
        connection.execute(_PLACE, place)
    reply = Reply(id=reply_id, **values)
    make_transient_to_detached(reply)  # a stored row, as a query would have loaded it
    db.session.add(reply)
    cache_versions.post_changed(db.session(), values["post_id"])
    return reply


_PLACED_INSERT: list[Insert] = []


def _placed_insert() -> Insert:
    """PostgreSQL: the row with its path and root in one statement (one round trip, not two):
    the id is taken from the sequence first, in a CTE, and the path built from it as
    path_segment does (zero-padded to PATH_SEGMENT_WIDTH, longer ids as they are)."""
    if not _PLACED_INSERT:
        new = select(
            func.nextval(literal_column("pg_get_serial_sequence('reply', 'id')::regclass")).label(
                "id"
            )
        ).cte("new_reply")
        digits = sql_cast(new.c.id, Text)
        own = func.lpad(digits, func.greatest(PATH_SEGMENT_WIDTH, func.length(digits)), "0")
        placed = {"path", "root_id"}
        kept = [column for column in _COLUMNS if column.key not in placed]
        rows = select(
            new.c.id,
            bindparam("path_prefix", type_=Text) + own,
            func.coalesce(bindparam("parent_root_id", type_=Integer), new.c.id),
            *(bindparam(column.key, type_=column.type) for column in kept),
        )
        columns = [_TABLE.c.id, _TABLE.c.path, _TABLE.c.root_id, *kept]
        _PLACED_INSERT.append(insert(_TABLE).from_select(columns, rows).returning(_TABLE.c.id))
    return _PLACED_INSERT[0]


def _value(column: Any, given: dict[str, Any]) -> Any:
    """The given value, else the column's default (what the ORM's INSERT would have sent)."""
    if column.key in given:
        return given[column.key]
    if column.key == "body_hash":  # its default reads the INSERT's parameters
        return body_digest(given["body_source"])
    default = column.default
    if default is None:
        return None
    return default.arg(None) if default.is_callable else default.arg
