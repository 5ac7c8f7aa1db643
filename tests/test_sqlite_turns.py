"""SQLite writers take turns: a writer that would have failed with "database is locked" after
SQLite's busy timeout waits for its turn instead, in another process or another thread, and
a turn ends with its transaction however it ends."""

from __future__ import annotations

import fcntl
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy import create_engine
from sqlalchemy import event
from sqlalchemy import exc
from sqlalchemy import text

from forum.sqlite_turns import take_turns
from tests.conftest import make_app

ROOT = Path(__file__).resolve().parent.parent

# A writer in another process: takes its turn, writes, holds its transaction open until told
# to finish, then commits.
HOLDER = """
import sys, time
from sqlalchemy import create_engine, text
from forum.sqlite_turns import take_turns
engine = create_engine(sys.argv[1])
take_turns(engine, wait_seconds=5)
with engine.connect() as connection:
    connection.execute(text("INSERT INTO note (body) VALUES ('from the other process')"))
    print("writing", flush=True)
    sys.stdin.readline()
    connection.commit()
"""


_engines: list[Engine] = []


@pytest.fixture(autouse=True)
def _dispose_engines() -> Iterator[None]:
    yield
    while _engines:
        _engines.pop().dispose()


def _engine(path: Path, busy_ms: int) -> Engine:
    engine = create_engine(f"sqlite:///{path}")
    _engines.append(engine)

    @event.listens_for(engine, "connect")
    def _short_busy_timeout(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute(f"PRAGMA busy_timeout={busy_ms}")

    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE IF NOT EXISTS note (id INTEGER PRIMARY KEY, body)"))
    return engine


def _write(engine: Engine, body: str) -> None:
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO note (body) VALUES (:body)"), {"body": body})


def _bodies(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return sorted(connection.execute(text("SELECT body FROM note")).scalars())


def _finish_after(holder: subprocess.Popen[str], seconds: float) -> threading.Timer:
    def finish() -> None:
        assert holder.stdin is not None  # nosec B101
        holder.stdin.write("commit\n")
        holder.stdin.flush()

    timer = threading.Timer(seconds, finish)
    timer.start()
    return timer


def _start_holder(path: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, f"sqlite:///{path}"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert holder.stdout is not None  # nosec B101
    assert holder.stdout.readline().strip() == "writing"
    return holder


def test_a_writer_waits_for_another_process_past_sqlites_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "turns.sqlite3"
    engine = _engine(path, busy_ms=50)
    take_turns(engine, wait_seconds=5)
    holder = _start_holder(path)
    timer = _finish_after(holder, 0.5)  # ten times SQLite's own patience
    try:
        _write(engine, "from this process")
    finally:
        timer.join()
        holder.communicate(timeout=30)
    assert holder.returncode == 0
    assert _bodies(engine) == ["from the other process", "from this process"]


def test_without_turns_the_same_writer_is_refused(tmp_path: Path) -> None:
    """The case above is one SQLite itself cannot wait out: this is what turns change."""
    path = tmp_path / "no-turns.sqlite3"
    engine = _engine(path, busy_ms=50)
    holder = _start_holder(path)
    timer = _finish_after(holder, 0.5)
    try:
        with pytest.raises(exc.OperationalError, match="database is locked"):
            _write(engine, "from this process")
    finally:
        timer.join()
        holder.communicate(timeout=30)
    assert _bodies(engine) == ["from the other process"]


def test_threads_writing_at_once_all_get_through(tmp_path: Path) -> None:
    engine = _engine(tmp_path / "threads.sqlite3", busy_ms=0)  # any collision would fail
    take_turns(engine, wait_seconds=5)
    failures: list[BaseException] = []

    def write_many(thread: int) -> None:
        try:
            for n in range(25):
                _write(engine, f"{thread}-{n}")
        except BaseException as error:  # noqa: BLE001  reported below
            failures.append(error)

    writers = [threading.Thread(target=write_many, args=(t,)) for t in range(8)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join(timeout=60)
    assert failures == []
    assert len(_bodies(engine)) == 200


def _another_process_could_write(path: Path) -> bool:
    """What another process's turn would find: is the lock file free?"""
    fd = os.open(f"{path}-writer", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_turn_lasts_until_commit_and_ends_after_a_failed_write(tmp_path: Path) -> None:
    path = tmp_path / "ends.sqlite3"
    engine = _engine(path, busy_ms=50)
    take_turns(engine, wait_seconds=5)
    with engine.connect() as connection:
        connection.execute(text("INSERT INTO note (id, body) VALUES (1, 'first')"))
        assert not _another_process_could_write(path)
        connection.commit()
        assert _another_process_could_write(path)
        with pytest.raises(exc.IntegrityError):
            connection.execute(text("INSERT INTO note (id, body) VALUES (1, 'twice')"))
        connection.rollback()
        assert _another_process_could_write(path)
    assert _bodies(engine) == ["first"]


def test_a_thread_never_waits_for_its_own_other_connection(tmp_path: Path) -> None:
    """A second connection writing while the first holds the turn meets SQLite's lock, as it
    did without turns, instead of waiting forever on itself."""
    engine = _engine(tmp_path / "self.sqlite3", busy_ms=50)
    take_turns(engine, wait_seconds=3600)
    outcome: list[str] = []

    def write_twice() -> None:
        with engine.connect() as first, engine.connect() as second:
            first.execute(text("INSERT INTO note (body) VALUES ('first')"))
            try:
                second.execute(text("INSERT INTO note (body) VALUES ('second')"))
            except exc.OperationalError as error:
                outcome.append(str(error.orig))
            first.commit()

    thread = threading.Thread(target=write_twice)
    thread.start()
    thread.join(timeout=30)
    assert not thread.is_alive()
    assert outcome == ["database is locked"]
    assert _bodies(engine) == ["first"]


def test_the_app_makes_its_writers_take_turns(tmp_path: Path) -> None:
    from forum.extensions import db

    path = tmp_path / "app.sqlite3"
    app = make_app(DATABASE_URL=f"sqlite:///{path}")
    with app.app_context():
        db.create_all()
        db.session.execute(
            text(
                "INSERT INTO category (slug, name, description, position) VALUES ('c', 'C', '', 1)"
            )
        )
        assert not _another_process_could_write(path)
        db.session.commit()
        assert _another_process_could_write(path)
