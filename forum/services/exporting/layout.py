"""Which tables and columns an export carries: the models' ones that the database really has.

Reading the columns from the database as well as from the models lets a file made at an older
schema revision be restored into a database set up at that revision by newer code (see
docs/export-format.md, "Restoring"), and lets every reader agree with what the writer saw.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Column
from sqlalchemy import Connection
from sqlalchemy import Table
from sqlalchemy import inspect

from forum.extensions import db
from forum.services.exporting import policy


@dataclass(frozen=True)
class Carried:
    """One exported table: the columns written to the file and the withheld ones it has."""

    table: Table
    columns: list[Column[Any]]
    withheld: list[str]

    @property
    def name(self) -> str:
        return self.table.name


def carried_tables(connection: Connection) -> list[Carried]:
    """Exported tables in dependency order, each with the columns the database has."""
    inspector = inspect(connection)
    present = set(inspector.get_table_names())
    carried = []
    for table in policy.exported_tables(db.metadata):
        if table.name not in present:
            continue
        names = {column["name"] for column in inspector.get_columns(table.name)}
        columns = [c for c in policy.exported_columns(table) if c.name in names]
        withheld = [name for name in policy.withheld_columns(table) if name in names]
        carried.append(Carried(table, columns, withheld))
    return carried
