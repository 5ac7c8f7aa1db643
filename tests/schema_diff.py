"""The difference between a migrated database and the models, as Alembic's autogenerate sees it."""

from __future__ import annotations

import warnings
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection

from forum.extensions import db
from forum.services.search.schema import include_object

# SQLite cannot reflect an expression index (ix_reply_guest_email_lower): SQLAlchemy and Alembic
# warn and leave it out of the comparison there; PostgreSQL compares it. Only these two warnings
# are silenced, and only while comparing: anywhere else (a batch migration copying the table, which
# would lose the index) they still fail the tests.
_SKIPPED = (
    r"Skipped unsupported reflection of expression-based index",
    r"autogenerate skipping metadata-specified expression-based index",
)


def schema_diff(connection: Connection) -> list[Any]:
    """What autogenerate would change; the search index is no model of Alembic's."""
    context = MigrationContext.configure(connection, opts={"include_object": include_object})
    with warnings.catch_warnings():
        for message in _SKIPPED:
            warnings.filterwarnings("ignore", message=message)
        return list(compare_metadata(context, db.metadata))
