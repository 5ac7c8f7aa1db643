"""`porch export json`: every exported table, row by row, as one versioned JSON document.

The layout is fixed (one header key per line, one row per line) so two exports of the same
data are byte-identical apart from the `exported_at` line, and so the file streams: rows are
read with a server-side cursor on PostgreSQL and written one at a time.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from typing import Any
from typing import TextIO

from sqlalchemy import Column
from sqlalchemy import Connection
from sqlalchemy import Engine
from sqlalchemy import String
from sqlalchemy import Table
from sqlalchemy import select

from forum.services.exporting import policy
from forum.services.exporting.layout import Carried
from forum.services.exporting.layout import carried_tables
from forum.services.exporting.revision import database_revision
from forum.services.exporting.values import dumps
from forum.services.exporting.values import encode

FETCH_SIZE = 1000


def write_export(engine: Engine, out: TextIO) -> None:
    """Write the whole export to an open text file."""
    for chunk in iter_export(engine):
        out.write(chunk)


def iter_export(engine: Engine) -> Iterator[str]:
    """The export in pieces (a few lines each), read in one consistent snapshot."""
    with _snapshot(engine) as connection:
        yield from _document(connection)


def _snapshot(engine: Engine) -> Connection:
    """A connection whose reads all see the database as it was when the export began."""
    if engine.dialect.name == "postgresql":
        connection = engine.connect().execution_options(
            isolation_level="REPEATABLE READ", postgresql_readonly=True
        )
        return connection
    connection = engine.connect()
    connection.exec_driver_sql("BEGIN")  # pysqlite opens none for reads; WAL keeps the snapshot
    return connection


def _document(connection: Connection) -> Iterator[str]:
    carried = carried_tables(connection)
    header = {
        "format": policy.FORMAT,
        "version": policy.VERSION,
        "schema": database_revision(connection),
        "exported_at": encode(datetime.now(UTC)),
        "withheld": {table.name: table.withheld for table in carried if table.withheld},
        "pseudonymised": sorted(f"{table}.{column}" for table, column in policy.PSEUDONYMISED),
    }
    yield "{\n" + "".join(f"{dumps(key)}: {dumps(value)},\n" for key, value in header.items())
    yield '"tables": {\n'
    for position, table in enumerate(carried):
        yield f"{dumps(table.name)}: ["
        yield from _rows(connection, table)
        yield "]" + (",\n" if position < len(carried) - 1 else "\n")
    yield "}\n}\n"


def _rows(connection: Connection, carried: Carried) -> Iterator[str]:
    table = carried.table
    pseudonymised = [c.name for c in carried.columns if policy.is_pseudonymised(table, c)]
    query = select(*carried.columns).order_by(*_sort_keys(connection, table))
    for (name, column), keys in policy.EXCLUDED_ROWS.items():
        if name == table.name:
            query = query.where(table.c[column].not_in(keys))
    result = connection.execution_options(yield_per=FETCH_SIZE).execute(query)
    separator = "\n"
    for row in result.mappings():
        record: dict[str, Any] = {name: encode(value) for name, value in row.items()}
        for name in pseudonymised:
            record[name] = policy.pseudonym(record[name])
        yield separator + dumps(record)
        separator = ",\n"
    if separator != "\n":
        yield "\n"


def _sort_keys(connection: Connection, table: Table) -> list[Any]:
    """Primary key order; text keys in code-point order on every database (not the locale's)."""
    keys: list[Any] = []
    for column in table.primary_key.columns:
        keys.append(_binary_order(connection, column))
    return keys


def _binary_order(connection: Connection, column: Column[Any]) -> Any:
    if connection.dialect.name == "postgresql" and isinstance(column.type, String):
        return column.collate("C")
    return column
