"""Which schema revision a database is at, so a file is restored only into its own schema."""

from __future__ import annotations

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util.exc import CommandError
from sqlalchemy import Connection
from sqlalchemy import inspect

from forum.database import MIGRATIONS_DIR
from forum.database import head_revision
from forum.extensions import db


def database_revision(connection: Connection) -> str | None:
    """The Alembic revision; a database built from the models without Alembic counts as head.

    None when the database has no Porch tables at all.
    """
    current = MigrationContext.configure(connection).get_current_revision()
    if current is not None:
        return current
    names = set(inspect(connection).get_table_names())
    if names & set(db.metadata.tables):
        return head_revision()
    return None


def is_known_revision(revision: str) -> bool:
    """True when this checkout's migrations have that revision."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    try:
        return ScriptDirectory.from_config(config).get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False
