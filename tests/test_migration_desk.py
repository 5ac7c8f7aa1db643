"""The desk's migration: posts written before it stay public, with comments open."""

from __future__ import annotations

from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import text

from forum.extensions import db
from forum.services import threads
from tests.conftest import make_app

DESK_REVISION = "95fd1124c977"


def test_upgrade_makes_existing_posts_published_and_open(tmp_path: Path) -> None:
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'desk.sqlite3'}")
    with app.app_context():
        upgrade(revision=f"{DESK_REVISION}-1")
        with db.engine.begin() as connection:
            connection.execute(
                text(
                    "INSERT INTO post (id, slug, title, body_source, body_html, excerpt, "
                    "published_at) VALUES (1, 'old', 'Old', 'x', '<p>x</p>', 'x', "
                    "'2026-01-01 00:00:00')"
                )
            )
            connection.execute(
                text(
                    'INSERT INTO "user" (id, display_name, role, session_token, bio) '
                    "VALUES (1, 'U', 'member', 't', '')"
                )
            )
        upgrade()
        with db.engine.connect() as connection:
            row = connection.execute(
                text("SELECT status, comments_open, pinned, close_after_days FROM post")
            ).one()
            author = connection.execute(text('SELECT can_author FROM "user"')).scalar()
        assert tuple(row) == ("published", 1, 0, None) and author == 0  # SQLite booleans
        assert threads.get_post("old").is_live()
        db.session.remove()
        db.engine.dispose()
