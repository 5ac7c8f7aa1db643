"""A new reply's row written with two reused Core statements instead of the ORM's flushes.

The ORM would flush the INSERT, then the path (it ends with the new id) in a second flush:
each flush costs more CPU than its statement. Here the row goes in with every column's value
known (given, or the column's default, as the ORM would fill it), its path is set by id, and
the same values become a persistent, loaded Reply in the session, so the answer and the hooks
that read it afterwards cost no query. The post's page version is raised at commit as for any
ORM write (cache_versions.post_changed).
"""

from __future__ import annotations

from typing import Any
from typing import cast

from sqlalchemy import Table
from sqlalchemy import bindparam
from sqlalchemy import insert
from sqlalchemy import update
from sqlalchemy.orm import make_transient_to_detached

from forum.extensions import db
from forum.models import Reply
from forum.models.reply import body_digest
from forum.models.reply import path_segment
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
    connection = db.session.connection()
    reply_id: int = connection.execute(_INSERT, values).scalar_one()
    own = path_segment(reply_id)
    values["path"] = f"{parent.path}/{own}" if parent else own
    values["root_id"] = parent.root_id if parent else reply_id
    values["parent_id"] = parent.id if parent else None
    connection.execute(
        _PLACE, {"reply_id": reply_id, "new_path": values["path"], "new_root_id": values["root_id"]}
    )
    reply = Reply(id=reply_id, **values)
    make_transient_to_detached(reply)  # a stored row, as a query would have loaded it
    db.session.add(reply)
    cache_versions.post_changed(db.session(), values["post_id"])
    return reply


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
