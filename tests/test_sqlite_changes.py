"""Porch processes on one SQLite file see each other's commits through the shared stamp: a
reader remembering a page's version reads it again after any Porch writer's commit, in any
process, and only a writer that is not Porch waits for the remembered version to lapse."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import text

from forum.services.cache_versions import post_version
from forum.sqlite_changes import ChangeStamp
from forum.sqlite_changes import stamp_commits
from forum.web.caching.version_reader import VersionReader
from tests.conftest import database_for
from tests.conftest import make_app
from tests.factories import make_post

RAISE = text("UPDATE post SET version = version + 1 WHERE slug = :slug")


def _statements(engine: Engine) -> list[str]:
    sent: list[str] = []
    event.listen(engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    return sent


def _reads(sent: list[str]) -> int:
    return len([s for s in sent if "FROM post" in s])


@dataclass
class Site:
    url: str
    reader: VersionReader
    slug: str


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """A Porch app on a SQLite file, with one post, and the reader of its page versions."""
    url = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    app = make_app(DATABASE_URL=url)
    with database_for(app):
        yield Site(url, app.extensions["porch_page_front"].versions, make_post().slug)


def _raised_by(engine: Engine, slug: str) -> None:
    with engine.begin() as connection:
        connection.execute(RAISE, {"slug": slug})
    engine.dispose()


def test_a_write_committed_by_another_porch_engine_is_seen_by_a_remembering_reader(
    site: Site,
) -> None:
    """The other engine writes with Core, outside any Flask session: only the stamp tells."""
    sent = _statements(site.reader._engine)
    first = site.reader.read(post_version, {"slug": site.slug})
    assert site.reader.read(post_version, {"slug": site.slug}) == first and _reads(sent) == 1
    other = create_engine(site.url)  # as another worker's engine would be
    stamp_commits(other)
    _raised_by(other, site.slug)
    assert site.reader.read(post_version, {"slug": site.slug}) == first + 1


def test_a_writer_that_is_not_porch_is_seen_when_the_remembered_version_lapses(
    site: Site,
) -> None:
    first = site.reader.read(post_version, {"slug": site.slug})
    _raised_by(create_engine(site.url), site.slug)  # the sqlite3 shell, say: no stamp
    assert site.reader.read(post_version, {"slug": site.slug}) == first  # still remembered
    site.reader.fresh_seconds = 0.0  # as if a second had passed
    assert site.reader.read(post_version, {"slug": site.slug}) == first + 1


def test_a_write_in_autocommit_mode_stamps_too(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'notes.sqlite3'}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    changes = stamp_commits(engine)
    assert changes is not None
    with engine.connect() as connection:
        connection.execute(text("CREATE TABLE note (body TEXT)"))
        before = changes.read()
        connection.execute(text("SELECT count(*) FROM note"))
        assert changes.read() == before  # a read is no change
        connection.execute(text("INSERT INTO note VALUES ('x')"))
        assert changes.read() != before
    engine.dispose()


def test_a_rolled_back_transaction_leaves_the_stamp_alone(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'notes.sqlite3'}")
    changes = stamp_commits(engine)
    assert changes is not None
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (body TEXT)"))
    before = changes.read()
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO note VALUES ('x')"))
        connection.rollback()
    assert changes.read() == before
    engine.dispose()


def test_a_stamp_written_in_another_process_is_read_here(tmp_path: Path) -> None:
    database = str(tmp_path / "site.sqlite3")
    here = ChangeStamp(database)
    before = here.read()
    child = os.fork()
    if child == 0:  # a gunicorn worker, say: its own mapping of the same file
        ChangeStamp(database).stamp()
        os._exit(0)
    os.waitpid(child, 0)
    assert here.read() != before


def test_no_stamp_for_an_in_memory_database_or_another_dialect() -> None:
    assert stamp_commits(create_engine("sqlite://")) is None
    assert stamp_commits(create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")) is None
