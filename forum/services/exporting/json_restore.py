"""`porch import json`: put an export back into an empty database, all or nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from collections.abc import Mapping
from typing import IO
from typing import Any

from sqlalchemy import Column
from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import Integer
from sqlalchemy import Table
from sqlalchemy import column as column_clause
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import table as table_clause
from sqlalchemy import text
from sqlalchemy.exc import StatementError

from forum.database import UPGRADE_COMMAND
from forum.errors import DomainError
from forum.services.exporting import policy
from forum.services.exporting.layout import Carried
from forum.services.exporting.layout import carried_tables
from forum.services.exporting.revision import database_revision
from forum.services.exporting.revision import is_known_revision
from forum.services.exporting.values import decode

INSERT_BATCH = 1000


class RestoreRefused(DomainError):
    """The file or the database is not fit for a restore; nothing was written."""


def restore(engine: Engine, source: IO[str]) -> dict[str, int]:
    """Insert every row of the export in one transaction; rows restored per table."""
    document = _read(source)
    try:
        with engine.begin() as connection:
            _check_revision(connection, str(document["schema"]))
            carried = carried_tables(connection)
            rows_by_table = _check_tables(document, carried)
            _check_empty(connection, carried, str(document["schema"]))
            for table in carried:
                _insert(connection, table, rows_by_table[table.name])
            _reset_sequences(connection, [table.table for table in carried])
    except (StatementError, LookupError, ValueError, TypeError) as error:
        raise RestoreRefused(
            f"A row could not be stored, so nothing was: {_first_line(error)}"
        ) from error
    return {table.name: len(rows_by_table[table.name]) for table in carried}


def _first_line(error: Exception) -> str:
    """The database's own words (not the whole statement with its parameters)."""
    cause = getattr(error, "orig", None) or error
    return str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__


def _read(source: IO[str]) -> dict[str, Any]:
    try:
        document = json.load(source)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise RestoreRefused(f"This is not a JSON file ({error}).") from error
    if not isinstance(document, dict) or document.get("format") != policy.FORMAT:
        raise RestoreRefused('This is not a Porch export (its format is not "porch-export").')
    if document.get("version") != policy.VERSION:
        raise RestoreRefused(
            f"This export is format version {document.get('version')!r}; this Porch reads "
            f"version {policy.VERSION}. Restore it with the Porch release that wrote it."
        )
    if not isinstance(document.get("schema"), str) or not isinstance(document.get("tables"), dict):
        raise RestoreRefused("This export has no schema revision or no tables; is it complete?")
    return document


def _check_tables(document: Mapping[str, Any], carried: list[Carried]) -> dict[str, list[Any]]:
    """Every table present, no unknown one, and every row an object of known columns."""
    found: dict[str, Any] = document["tables"]
    expected = {table.name for table in carried}
    unknown, missing = sorted(set(found) - expected), sorted(expected - set(found))
    if unknown or missing:
        raise RestoreRefused(
            f"The export's tables do not match this schema (unknown: {', '.join(unknown) or '-'}; "
            f"missing: {', '.join(missing) or '-'})."
        )
    for table in carried:
        rows = found[table.name]
        allowed = {column.name for column in table.columns}
        if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
            raise RestoreRefused(f"Table {table.name} in the export is not a list of rows.")
        strays = {key for row in rows for key in row} - allowed
        if strays:
            raise RestoreRefused(
                f"Table {table.name} has unknown columns: {', '.join(sorted(strays))}."
            )
    return found


def _check_revision(connection: Connection, schema: str) -> None:
    """Refuse a database without Porch tables or at another revision than the file's."""
    current = database_revision(connection)
    if current is None:
        raise RestoreRefused(
            f"This database has no Porch tables yet. Create them at the export's revision "
            f"first: {UPGRADE_COMMAND} {schema}, then restore, then {UPGRADE_COMMAND}."
        )
    if current != schema:
        raise RestoreRefused(_revision_advice(schema, current))


def _check_empty(connection: Connection, carried: list[Carried], schema: str) -> None:
    """A restore never merges: any row in any exported table refuses it."""
    for table in carried:
        if connection.scalar(select(exists().select_from(table.table))):
            raise RestoreRefused(
                f"This database is not empty (table {table.name} has rows). A restore only goes "
                f"into a new, empty database: create one and run {UPGRADE_COMMAND} {schema}."
            )


def _revision_advice(schema: str, current: str) -> str:
    said = f"The export was made at schema revision {schema}; this database is at {current}. "
    if not is_known_revision(schema):
        return said + "That revision is newer than this Porch: upgrade Porch, then restore."
    return said + (
        f"Restore into a new, empty database set up with `{UPGRADE_COMMAND} {schema}`, "
        f"then run `{UPGRADE_COMMAND}` to bring it up to date."
    )


def _insert(connection: Connection, carried: Carried, rows: list[dict[str, Any]]) -> None:
    table = carried.table
    fillers = {name: policy.WITHHELD[(table.name, name)] for name in carried.withheld}
    names = {column.name for column in carried.columns} | set(fillers)
    # Only the columns the database has, and no model-side defaults for any other.
    target = table_clause(
        table.name, *(column_clause(c.name, c.type) for c in table.columns if c.name in names)
    )
    batch: list[dict[str, Any]] = []
    for row in _parents_first(table, rows):
        if not policy.kept_row(table.name, row):
            continue  # working state the triggers write themselves
        record = _decoded(table, carried.columns, row)
        record.update({name: make() for name, make in fillers.items()})
        batch.append(record)
        if len(batch) == INSERT_BATCH:
            connection.execute(insert(target), batch)
            batch = []
    if batch:
        connection.execute(insert(target), batch)


def _decoded(table: Table, columns: list[Column[Any]], row: dict[str, Any]) -> dict[str, Any]:
    record = {}
    for column in columns:
        try:
            record[column.name] = decode(column, row.get(column.name))
        except (ValueError, TypeError) as error:
            where = f"{table.name}.{column.name} of the row {_row_key(table, row)}"
            raise RestoreRefused(f"Nothing was restored: {where} is wrong ({error}).") from error
    return record


def _row_key(table: Table, row: dict[str, Any]) -> str:
    return ", ".join(f"{key.name} {row.get(key.name)!r}" for key in table.primary_key.columns)


def _parents_first(table: Table, rows: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows ordered so a row referring to its own table (a reply's parent) follows its target."""
    references = [
        (fk.parent.name, fk.column.name) for fk in table.foreign_keys if fk.column.table is table
    ]
    if not references:
        yield from rows
        return
    present = {(target, row.get(target)) for row in rows for _, target in references}
    placed: set[tuple[str, Any]] = set()
    pending = rows
    while pending:
        waiting = []
        for row in pending:
            if all(_ready(row, own, target, present, placed) for own, target in references):
                placed.update((target, row.get(target)) for _, target in references)
                yield row
            else:
                waiting.append(row)
        if len(waiting) == len(pending):
            raise RestoreRefused(f"Rows of {table.name} refer to each other in a loop.")
        pending = waiting


def _ready(row: Mapping[str, Any], own: str, target: str, present: Any, placed: Any) -> bool:
    value = row.get(own)
    if value is None or value == row.get(target) or (target, value) not in present:
        return True  # a dangling reference is the database's to refuse
    return (target, value) in placed


def _reset_sequences(connection: Connection, tables: list[Table]) -> None:
    """PostgreSQL: let new rows continue after the restored ids."""
    if connection.dialect.name != "postgresql":
        return
    quote = connection.dialect.identifier_preparer.quote
    for table in tables:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        sequence = connection.scalar(
            select(func.pg_get_serial_sequence(quote(table.name), keys[0].name))
        )
        if sequence is None:
            continue
        top = connection.scalar(select(func.max(keys[0])))
        connection.execute(
            text("SELECT setval(:sequence, :value, :called)"),
            {"sequence": sequence, "value": top or 1, "called": top is not None},
        )
