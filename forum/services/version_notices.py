"""PostgreSQL tells every app server when page versions change.

A statement-level trigger on the post table sends one notice on the `porch_pages` channel from
each transaction that raised a version or added or removed a post, and one on the member's
tables from each transaction that changed them (PostgreSQL folds a transaction's identical
notices into one, and delivers it only on commit). App servers LISTEN
(forum.web.caching.version_reader), so they can remember versions between requests instead of
asking for them on every cached page. Tests build the schema with `create_all`, so the DDL
rides on the metadata's create event; the Alembic migration runs it too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy import event
from sqlalchemy import text

from forum.models import Base

CHANNEL = "porch_pages"

# Tables whose rows a page read may remember besides posts (the signed-in member, their unread
# count and mail preference: security/sessions.py): any change to them is heard too.
MEMBER_TABLES = ("user", "notification", "mail_preference")

CREATE = (
    "CREATE OR REPLACE FUNCTION porch_notify_pages() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$",
    "DROP TRIGGER IF EXISTS post_versions_notify ON post",
    "CREATE TRIGGER post_versions_notify AFTER INSERT OR DELETE OR UPDATE OF version ON post "
    "FOR EACH STATEMENT EXECUTE FUNCTION porch_notify_pages()",
    *(
        statement
        for table in MEMBER_TABLES
        for statement in (
            f'DROP TRIGGER IF EXISTS {table}_changes_notify ON "{table}"',
            f'CREATE TRIGGER {table}_changes_notify AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
            "FOR EACH STATEMENT EXECUTE FUNCTION porch_notify_pages()",
        )
    ),
)
DROP = (
    *(f'DROP TRIGGER IF EXISTS {table}_changes_notify ON "{table}"' for table in MEMBER_TABLES),
    "DROP TRIGGER IF EXISTS post_versions_notify ON post",
    "DROP FUNCTION IF EXISTS porch_notify_pages()",
)


def create_trigger(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        for statement in CREATE:
            connection.execute(text(statement))


def drop_trigger(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        for statement in DROP:
            connection.execute(text(statement))


def _after_create(target: Any, connection: Connection, **kw: Any) -> None:
    create_trigger(connection)


event.listen(Base.metadata, "after_create", _after_create)
