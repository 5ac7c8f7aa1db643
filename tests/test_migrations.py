"""Migrations build the same schema as the models, and the app refuses an un-migrated database."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask_migrate import upgrade

from forum.database import SchemaOutOfDate
from forum.database import check_schema
from forum.extensions import db
from forum.models.reply import body_digest
from tests.conftest import EXTERNAL_DATABASE_URL
from tests.conftest import make_app
from tests.schema_diff import schema_diff


@pytest.fixture
def empty_database_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'migrate.sqlite3'}"


def test_upgrade_head_on_empty_database_matches_models(empty_database_url: str) -> None:
    app = make_app(DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = schema_diff(connection)
        check_schema(db.engine)
        db.engine.dispose()
    assert diff == []


def test_unmigrated_database_gets_503_page_naming_the_upgrade_command(
    empty_database_url: str,
) -> None:
    app = make_app(DATABASE_URL=empty_database_url, CHECK_SCHEMA=True)
    response = app.test_client().get("/")
    assert response.status_code == 503
    assert "flask --app wsgi db upgrade" in response.get_data(as_text=True)
    with app.app_context():
        with pytest.raises(SchemaOutOfDate, match="has no Porch tables yet"):
            check_schema(db.engine)
        upgrade()
    assert app.test_client().get("/").status_code == 200
    with app.app_context():
        db.engine.dispose()


@pytest.mark.skipif(
    EXTERNAL_DATABASE_URL is None, reason="needs PORCH_TEST_DATABASE_URL (PostgreSQL)"
)
def test_upgrade_head_on_postgresql_matches_models() -> None:
    """On PostgreSQL, in a schema of its own so the shared test tables stay untouched."""
    from sqlalchemy import text

    app = make_app()
    with app.app_context():
        with db.engine.begin() as connection:
            connection.execute(text("DROP SCHEMA IF EXISTS migration_check CASCADE"))
            connection.execute(text("CREATE SCHEMA migration_check"))
        db.engine.dispose()
    url = EXTERNAL_DATABASE_URL + "?options=-csearch_path%3Dmigration_check"
    app = make_app(DATABASE_URL=url)
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            diff = schema_diff(connection)
        db.engine.dispose()
    assert diff == []


def test_readyz_reports_an_unmigrated_database_then_ok(empty_database_url: str) -> None:
    app = make_app(DATABASE_URL=empty_database_url, CHECK_SCHEMA=True)
    assert app.test_client().get("/healthz").status_code == 200  # the process is up all along
    before = app.test_client().get("/readyz")
    assert before.status_code == 503 and before.get_json()["status"] == "unavailable"
    assert "flask --app wsgi db upgrade" in before.get_json()["reasons"][0]
    with app.app_context():
        upgrade()
        db.engine.dispose()
    after = app.test_client().get("/readyz")
    assert after.status_code == 200 and after.get_json() == {"status": "ok"}


def _first_revision() -> str:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from forum.database import MIGRATIONS_DIR

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return [script.revision for script in ScriptDirectory.from_config(config).walk_revisions()][-1]


def test_upgrading_a_database_with_content_keeps_every_row(empty_database_url: str) -> None:
    """SQLite batch migrations rebuild tables; no row may be lost or altered on the way."""
    from sqlalchemy import text

    app = make_app(DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade(revision=_first_revision())
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO post (id, slug, title, body_source, body_html, excerpt, "
                    "published_at) VALUES (1, 'p', 'P', '', '', '', CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(
                text(
                    "INSERT INTO reply (id, post_id, parent_id, root_id, path, depth, status, "
                    "body_source, body_html, like_count) VALUES "
                    "(1, 1, NULL, 1, '0000000001', 0, 'approved', 'a', '<p>a</p>', 1), "
                    "(2, 1, 1, 1, '0000000001/0000000002', 1, 'pending', 'b', '<p>b</p>', 0)"
                )
            )
            connection.execute(text("INSERT INTO \"like\" (reply_id, guest_token) VALUES (1, 'g')"))
        upgrade()
        with db.engine.connect() as connection:
            replies = connection.execute(
                text("SELECT id, path, status, body_hash FROM reply ORDER BY id")
            ).all()
            likes = connection.execute(text('SELECT reply_id FROM "like"')).all()
        db.engine.dispose()
    # The text digests the spam filter finds repeats by are filled in for existing replies.
    assert [tuple(row) for row in replies] == [
        (1, "0000000001", "approved", body_digest("a")),
        (2, "0000000001/0000000002", "pending", body_digest("b")),
    ]
    assert [tuple(row) for row in likes] == [(1,)]


def _rare_rows_version() -> object:
    from sqlalchemy import text

    with db.engine.connect() as connection:
        found = connection.execute(
            text("SELECT value FROM setting WHERE key = 'rare_rows_version'")
        )
        return found.scalar()


def test_upgrade_gives_staff_bans_and_webhooks_a_version_on_every_change(
    empty_database_url: str,
) -> None:
    """The migration's triggers (services/rare_rows.py): a new database gets no version until
    its first staff member, ban or webhook; each change then gives a new one."""
    from sqlalchemy import text

    app = make_app(DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade()
        assert _rare_rows_version() is None  # empty, as a restore needs
        seen = []
        for change in (
            'INSERT INTO "user" (id, display_name, role, bio, session_token, created_at) '
            "VALUES (1, 'Morgan', 'admin', '', 't1', CURRENT_TIMESTAMP)",
            "INSERT INTO ban (email, reason, created_at) VALUES ('x@example.org', '', "
            "CURRENT_TIMESTAMP)",
            "UPDATE ban SET lifted_at = CURRENT_TIMESTAMP",
            "INSERT INTO webhook (url, secret, events, active, created_at) VALUES "
            "('https://hooks.example.org', 's', '[]', 1, CURRENT_TIMESTAMP)",
            "UPDATE \"user\" SET display_name = 'Robin' WHERE id = 1",
        ):
            with db.engine.begin() as connection:
                connection.execute(text(change))
            seen.append(_rare_rows_version())
        with db.engine.begin() as connection:  # a member's change is no staff change
            connection.execute(
                text(
                    'INSERT INTO "user" (id, display_name, role, bio, session_token, '
                    "created_at) VALUES (2, 'Ada', 'member', '', 't2', CURRENT_TIMESTAMP)"
                )
            )
            connection.execute(text("UPDATE \"user\" SET display_name = 'Ada L' WHERE id = 2"))
        unchanged = _rare_rows_version()
        db.engine.dispose()
    assert None not in seen and len(set(map(str, seen))) == len(seen)
    assert unchanged == seen[-1]


def test_upgrading_a_site_with_people_gives_it_a_first_version(empty_database_url: str) -> None:
    from sqlalchemy import text

    app = make_app(DATABASE_URL=empty_database_url)
    with app.app_context():
        upgrade(revision="a4b6c8d0e2f4")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    'INSERT INTO "user" (id, display_name, role, bio, session_token, '
                    "created_at) VALUES (1, 'Morgan', 'admin', '', 't1', CURRENT_TIMESTAMP)"
                )
            )
        upgrade()
        version = _rare_rows_version()
        db.engine.dispose()
    assert version is not None
