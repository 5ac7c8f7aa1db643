"""Rows every post reads that rarely change (staff names, bans, active webhooks), remembered.

Each post read all three (a statement each: a tenth of a post's time on PostgreSQL). Now each
process remembers them under a version kept with the site settings: database triggers give the
version a new random value in the same transaction as any change to those rows, whoever makes
it (this process, another app server, a script, a restore), and each request reads the version
with the settings, in the statement it runs anyway. A remembered copy serves only a request
whose own transaction read the version it was remembered under, so none acts on older rows.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import chain
from typing import Any
from typing import TypeVar

from flask import current_app
from sqlalchemy import Connection
from sqlalchemy import event
from sqlalchemy import inspect
from sqlalchemy import text
from sqlalchemy.orm import InstanceState
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session

from forum.extensions import db
from forum.models import Ban
from forum.models import Base
from forum.models import Role
from forum.models import User
from forum.models import Webhook
from forum.services import site_settings

T = TypeVar("T")

VERSION_KEY = site_settings.RARE_ROWS_KEY
_MEMORY = "porch_rare_rows"  # app.extensions: {name: (version, value)}
_STAFF = tuple(role.value for role in (Role.ADMIN, Role.MODERATOR))
_TABLES = ("ban", "webhook")
_IS_STAFF = ", ".join(f"'{role}'" for role in _STAFF)
# A user's change that can change the staff names: (trigger name part, event, condition).
_USER_CHANGES = (
    ("insert", "INSERT", f"NEW.role IN ({_IS_STAFF})"),
    (
        "update",
        "UPDATE OF role, display_name",
        f"OLD.role IN ({_IS_STAFF}) OR NEW.role IN ({_IS_STAFF})",
    ),
    ("delete", "DELETE", f"OLD.role IN ({_IS_STAFF})"),
)


def remembered(name: str, read: Callable[[], T]) -> T:
    """`read()`'s value, from this process's copy while the rows' version is unchanged."""
    version = site_settings.stored_value(VERSION_KEY)  # with the settings: no statement of its own
    memory: dict[str, tuple[Any, Any]] = current_app.extensions.setdefault(_MEMORY, {})
    known = memory.get(name)
    if known is not None and version is not None and known[0] == version:
        result: T = known[1]
        return result
    value = read()
    memory[name] = (version, value)
    return value


# The new version: a random token, so a rolled-back or restored value never names other rows.
_SQLITE_NEW_VERSION = (
    f"INSERT OR REPLACE INTO setting (key, value) SELECT '{VERSION_KEY}', "
    "json_object('token', lower(hex(randomblob(8))))"
)
_POSTGRESQL_NEW_VERSION = (
    f"INSERT INTO setting (key, value) SELECT '{VERSION_KEY}', "
    "json_build_object('token', md5(random()::text))"
)


def _sqlite_triggers() -> list[str]:
    statements = []
    for table in _TABLES:
        for change in ("INSERT", "UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS {table}_{change.lower()}_rare_rows "
                f"AFTER {change} ON {table} BEGIN {_SQLITE_NEW_VERSION}; END"
            )
    for name, change, when in _USER_CHANGES:
        statements.append(
            f'CREATE TRIGGER IF NOT EXISTS user_{name}_rare_rows AFTER {change} ON "user" '
            f"WHEN {when} BEGIN {_SQLITE_NEW_VERSION}; END"
        )
    return statements


def _postgresql_triggers() -> list[str]:
    # Every piece is a constant of this module: nothing from a request reaches the DDL.
    statements = [
        "CREATE OR REPLACE FUNCTION porch_rare_rows_changed() RETURNS trigger LANGUAGE plpgsql "  # nosec B608
        f"AS $$ BEGIN {_POSTGRESQL_NEW_VERSION} "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value; RETURN NULL; END $$"
    ]
    for table in _TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_rare_rows ON {table}",
            f"CREATE TRIGGER {table}_rare_rows AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION porch_rare_rows_changed()",
        ]
    for name, change, when in _USER_CHANGES:
        statements += [
            f'DROP TRIGGER IF EXISTS user_{name}_rare_rows ON "user"',
            f'CREATE TRIGGER user_{name}_rare_rows AFTER {change} ON "user" FOR EACH ROW '
            f"WHEN ({when}) EXECUTE FUNCTION porch_rare_rows_changed()",
        ]
    return statements


def create_triggers(connection: Connection) -> None:
    """The triggers. The first version comes with the first staff member, ban or webhook (a
    new database stays empty for a restore); until then every request reads the rows."""
    dialect = connection.dialect.name
    statements = _postgresql_triggers() if dialect == "postgresql" else _sqlite_triggers()
    for statement in statements:
        connection.execute(text(statement))


def _after_create(_target: Any, connection: Connection, **_kw: Any) -> None:
    create_triggers(connection)  # tests build the schema with create_all


event.listen(Base.metadata, "after_create", _after_create)


def _changes_rare_rows(obj: object) -> bool:
    if isinstance(obj, Ban | Webhook):
        return True
    if not isinstance(obj, User):
        return False
    state: InstanceState[User] = inspect(obj)
    if state.pending or state.deleted or state.was_deleted:
        return obj.role in (Role.ADMIN, Role.MODERATOR)
    return state.attrs.role.history.has_changes() or (
        obj.role in (Role.ADMIN, Role.MODERATOR) and state.attrs.display_name.history.has_changes()
    )


def _forget_version_on_flush(session: Session, _context: Any, _instances: Any) -> None:
    """This transaction's triggers changed the version: read it again before using a copy."""
    if any(_changes_rare_rows(obj) for obj in chain(session.new, session.dirty, session.deleted)):
        site_settings.forget_values(session)


def _forget_version_on_bulk(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete or state.is_insert) and (
        state.bind_mapper is None or state.bind_mapper.class_ in (Ban, Webhook, User)
    ):
        site_settings.forget_values(state.session)


def install() -> None:
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "before_flush", _forget_version_on_flush):
        event.listen(session_class, "before_flush", _forget_version_on_flush)
        event.listen(session_class, "do_orm_execute", _forget_version_on_bulk)
