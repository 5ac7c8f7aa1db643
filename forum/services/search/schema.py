"""The search index's own table, one per dialect, kept out of the model metadata.

SQLite gets an FTS5 table (porter stemming over unicode61); PostgreSQL a plain table with a
generated `tsvector` column and a GIN index. Both hold one row per post and per reply, keyed by
a document id: the reply's id, or minus the post's id. Tests build the schema with
`create_all`, so the same DDL rides on the metadata's create and drop events; the Alembic
migration runs it too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy import event
from sqlalchemy import text

from forum.models import Base

TABLE = "search_document"
CONFIG = "english"  # PostgreSQL text search configuration: English stemming and stop words

SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, body, post_id UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')",
)
POSTGRESQL_CREATE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "doc_id bigint PRIMARY KEY, post_id integer NOT NULL, "
    "title text NOT NULL DEFAULT '', body text NOT NULL DEFAULT '', "
    f"tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('{CONFIG}', title), 'A') "
    f"|| setweight(to_tsvector('{CONFIG}', body), 'B')) STORED)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_tsv ON {TABLE} USING gin (tsv)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_post_id ON {TABLE} (post_id)",
)


def is_index_table(name: str | None) -> bool:
    """The index table and FTS5's shadow tables: Alembic must not compare them to models."""
    return name is not None and (name == TABLE or name.startswith(f"{TABLE}_"))


def include_object(obj: Any, name: str | None, type_: str, *args: Any) -> bool:
    """Alembic's include_object hook: compare everything but the search index."""
    table = getattr(getattr(obj, "table", None), "name", None) if type_ != "table" else name
    return not is_index_table(table)


def create_index(connection: Connection) -> None:
    """Create the dialect's index objects if absent."""
    statements = SQLITE_CREATE if connection.dialect.name == "sqlite" else POSTGRESQL_CREATE
    for statement in statements:
        connection.execute(text(statement))


def drop_index(connection: Connection) -> None:
    connection.execute(text(f"DROP TABLE IF EXISTS {TABLE}"))


def _after_create(target: Any, connection: Connection, **kw: Any) -> None:
    create_index(connection)


def _before_drop(target: Any, connection: Connection, **kw: Any) -> None:
    drop_index(connection)


event.listen(Base.metadata, "after_create", _after_create)
event.listen(Base.metadata, "before_drop", _before_drop)
