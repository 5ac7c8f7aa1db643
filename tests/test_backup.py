"""`porch backup` copies the live SQLite database as one snapshot; `porch restore` puts it back."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from click.testing import Result
from flask import Flask
from flask_migrate import upgrade
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply


@pytest.fixture
def site(tmp_path: Path) -> Flask:
    """A migrated site in a file, as `make run` makes (WAL mode)."""
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'live.sqlite3'}")
    with app.app_context():
        upgrade()
        post = make_post(slug="kept", title="Kept")
        make_reply(post, body_source="First reply.")
        db.engine.dispose()
    return app


def _run(app: Flask, *args: str) -> Result:
    """As `flask --app wsgi porch ARGS` runs it: inside the app's context."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["porch", *args])
        db.engine.dispose()
    return result


def _replies(path: Path) -> list[tuple[int, int | None]]:
    with sqlite3.connect(path) as copy:
        return [tuple(row) for row in copy.execute("SELECT id, parent_id FROM reply")]


def test_backup_taken_while_someone_posts_is_a_consistent_snapshot(
    site: Flask, tmp_path: Path
) -> None:
    writer = make_app(DATABASE_URL=site.config["DATABASE_URL"])
    stop = threading.Event()

    def post_pairs() -> None:  # each transaction adds a reply and an answer to it
        with writer.app_context():
            post = db.session.scalars(select(Post)).one()
            while not stop.is_set():
                parent = make_reply(post, commit=False)
                make_reply(post, parent=parent)
            db.session.remove()
            db.engine.dispose()

    thread = threading.Thread(target=post_pairs)
    thread.start()
    try:
        for n in range(5):
            result = _run(site, "backup", str(tmp_path / f"copy-{n}.sqlite3"))
            assert result.exit_code == 0, result.output
            assert "Backed up to" in result.output
    finally:
        stop.set()
        thread.join(30)
    for n in range(5):
        rows = _replies(tmp_path / f"copy-{n}.sqlite3")
        ids = {reply_id for reply_id, _ in rows}
        assert len(rows) % 2 == 1  # the first reply, then whole pairs only
        assert all(parent is None or parent in ids for _, parent in rows)
    assert not list(tmp_path.glob("*.partial"))


def test_restore_brings_back_exactly_the_backup_and_no_cached_page_of_later(
    site: Flask, tmp_path: Path
) -> None:
    copy = tmp_path / "before.sqlite3"
    assert _run(site, "backup", str(copy)).exit_code == 0
    with site.app_context():
        post = db.session.scalars(select(Post)).one()
        make_reply(post, body_source="Written after the backup.")
        make_post(slug="later", title="Later")
        versions_before = db.session.scalar(select(func.max(Post.version)))
        db.engine.dispose()

    result = _run(site, "restore", "--yes", str(copy))

    assert result.exit_code == 0, result.output
    assert "Restored 1 posts, 1 replies" in result.output
    with site.app_context():
        assert db.session.scalars(select(Reply.body_source)).all() == ["First reply."]
        assert db.session.scalars(select(Post.slug)).all() == ["kept"]
        assert db.session.scalar(select(func.min(Post.version))) > versions_before
        db.engine.dispose()
    page = site.test_client().get("/t/kept")
    assert "First reply." in page.get_data(as_text=True)
    assert "Written after the backup." not in page.get_data(as_text=True)


def test_backup_refuses_to_overwrite_without_force(site: Flask, tmp_path: Path) -> None:
    existing = tmp_path / "existing.sqlite3"
    existing.write_bytes(b"precious")
    refused = _run(site, "backup", str(existing))

    assert refused.exit_code == 1
    assert "exists already" in refused.output
    assert existing.read_bytes() == b"precious"
    assert _run(site, "backup", "--force", str(existing)).exit_code == 0
    assert len(_replies(existing)) == 1


def test_restore_refuses_a_file_that_is_no_backup_and_keeps_the_site(
    site: Flask, tmp_path: Path
) -> None:
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    refused = _run(site, "restore", "--yes", str(junk))
    assert refused.exit_code == 1
    assert "is not a Porch backup" in refused.output
    missing = _run(site, "restore", "--yes", "nowhere.db")
    assert "is not a file" in missing.output
    with site.app_context():
        assert db.session.scalars(select(Reply.body_source)).all() == ["First reply."]
        db.engine.dispose()


def test_backup_of_a_postgresql_site_points_to_pg_dump() -> None:
    app = make_app(DATABASE_URL="postgresql://postgres@127.0.0.1:1/none")
    result = _run(app, "backup", "out.sqlite3")
    assert result.exit_code == 1
    assert "pg_dump --format=custom" in result.output
