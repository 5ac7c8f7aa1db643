"""Every migration downgrades and upgrades again cleanly, with content in the tables.

A site owner who rolls back a release runs `flask --app wsgi db downgrade`; it must work for
every revision, on SQLite (batch table rebuilds) and on PostgreSQL, and upgrading again must
give exactly the schema the models describe.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.migration import MigrationContext
from flask import Flask
from flask_migrate import downgrade
from flask_migrate import upgrade
from sqlalchemy import text

from forum.database import head_revision
from forum.extensions import db
from tests.conftest import EXTERNAL_DATABASE_URL
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply
from tests.schema_diff import schema_diff

SCHEMA = "migration_round_trip"


def _current_revision() -> str | None:
    with db.engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def _reply_bodies() -> list[str]:
    with db.engine.connect() as connection:
        return list(connection.scalars(text("SELECT body_source FROM reply")))


def _schema_diff() -> list[object]:
    with db.engine.connect() as connection:
        return schema_diff(connection)


def _walk_down_and_up(app: Flask) -> list[str]:
    """Downgrade one step at a time to the base, upgrading back once at each step first."""
    visited = []
    with app.app_context():
        upgrade()
        post = make_post()
        make_reply(post, body_source="Kept through every step.")
        db.session.commit()
        db.session.remove()
        while (revision := _current_revision()) is not None:
            visited.append(revision)
            downgrade(revision="-1")
            at_base = _current_revision() is None  # the first migration's downgrade drops all
            upgrade(revision=revision)  # this step's upgrade works after its own downgrade
            assert _current_revision() == revision
            if not at_base:  # no row lost on the way down and up again
                assert _reply_bodies() == ["Kept through every step."], revision
            downgrade(revision="-1")
        upgrade()
        assert _current_revision() == head_revision()
        assert _schema_diff() == []
        db.engine.dispose()
    return visited


def test_every_migration_downgrades_and_upgrades_again_on_sqlite(tmp_path: Path) -> None:
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'round-trip.sqlite3'}")
    visited = _walk_down_and_up(app)
    assert visited[0] == head_revision()
    assert len(visited) == len(set(visited)) >= 16


@pytest.fixture
def postgresql_schema() -> Iterator[str]:
    """A schema of its own, so the shared test tables stay untouched."""
    assert EXTERNAL_DATABASE_URL is not None
    app = make_app()
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
            connection.execute(text(f"CREATE SCHEMA {SCHEMA}"))
        db.engine.dispose()
    yield EXTERNAL_DATABASE_URL + f"?options=-csearch_path%3D{SCHEMA}"
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        db.engine.dispose()


@pytest.mark.skipif(
    not (EXTERNAL_DATABASE_URL or "").startswith("postgresql"),
    reason="needs PORCH_TEST_DATABASE_URL (PostgreSQL)",
)
def test_every_migration_downgrades_and_upgrades_again_on_postgresql(
    postgresql_schema: str,
) -> None:
    visited = _walk_down_and_up(make_app(DATABASE_URL=postgresql_schema))
    assert visited[0] == head_revision()
