"""The limiter's counters in a file beside a SQLite database: one count for every worker."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
from pathlib import Path

import pytest
from limits import parse
from limits.storage import MemoryStorage
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from forum.config import _local_rate_storage
from forum.extensions import limiter
from forum.security import rate_file
from forum.security.rate_file import SqliteFileStorage
from forum.security.rate_storage import SweptMemoryStorage
from tests.conftest import make_app

HITS_PER_PROCESS = 200


def _hit_many(uri: str) -> None:
    storage = storage_from_string(uri)
    for _ in range(HITS_PER_PROCESS):
        storage.incr("login/203.0.113.9", expiry=60)


def test_the_app_on_a_sqlite_file_counts_in_a_file_beside_it(tmp_path: Path) -> None:
    folder = tmp_path / "my site #1"  # a path that is no plain URI
    folder.mkdir()
    app = make_app(DATABASE_URL=f"sqlite:///{folder / 'porch.sqlite3'}", RATELIMIT_ENABLED=True)
    with app.app_context():
        assert isinstance(limiter.storage, SqliteFileStorage)
        assert limiter.storage.incr("k", expiry=60) == 1
    assert (folder / "porch.sqlite3-limits").exists()


@pytest.mark.parametrize("url", ["sqlite://", "postgresql://porch@db.example/porch"])
def test_without_a_sqlite_file_each_process_counts_alone(url: str) -> None:
    assert isinstance(storage_from_string(_local_rate_storage(url)), SweptMemoryStorage)


def test_workers_hitting_one_key_at_once_lose_no_hit(tmp_path: Path) -> None:
    uri = rate_file.uri_for(str(tmp_path / "porch.sqlite3"))
    context = multiprocessing.get_context("spawn")  # fresh interpreters, as workers are
    workers = [context.Process(target=_hit_many, args=(uri,)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(60)
        assert worker.exitcode == 0
    assert storage_from_string(uri).get("login/203.0.113.9") == 3 * HITS_PER_PROCESS


def test_the_first_hit_waits_for_another_worker_creating_the_counters_file(
    tmp_path: Path,
) -> None:
    """Two workers' first sign-ins after a start open the new file together: one of them is
    still writing it when the other switches it to WAL, which SQLite refuses without waiting."""
    path = tmp_path / "porch.sqlite3-limits"
    other_worker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other_worker.execute("BEGIN IMMEDIATE")
    finishes = threading.Timer(0.3, other_worker.execute, args=("COMMIT",))
    finishes.start()
    try:
        storage = SqliteFileStorage(rate_file.uri_for(str(tmp_path / "porch.sqlite3")))
        assert storage.incr("login/203.0.113.9", expiry=60) == 1
    finally:
        finishes.join()
        other_worker.close()
    assert storage.get("login/203.0.113.9") == 1


def test_it_decides_as_the_library_does(tmp_path: Path) -> None:
    ten_a_minute = parse("10 per minute")
    ours = FixedWindowRateLimiter(SqliteFileStorage(rate_file.uri_for(str(tmp_path / "db"))))
    theirs = FixedWindowRateLimiter(MemoryStorage())
    for n in range(25):
        address = f"10.0.0.{n % 2}"
        assert ours.hit(ten_a_minute, address) == theirs.hit(ten_a_minute, address)
        assert ours.test(ten_a_minute, address) == theirs.test(ten_a_minute, address)
    assert ours.get_window_stats(ten_a_minute, "10.0.0.0").remaining == 0
    assert ours.get_window_stats(ten_a_minute, "10.0.0.9").remaining == 10
    ours.clear(ten_a_minute, "10.0.0.0")
    assert ours.hit(ten_a_minute, "10.0.0.0")


def test_a_window_that_ran_out_starts_again_and_old_counters_are_swept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [1_000_000.0]
    monkeypatch.setattr(rate_file.time, "time", lambda: now[0])
    storage = SqliteFileStorage(rate_file.uri_for(str(tmp_path / "db")))
    assert [storage.incr("guest", expiry=60) for _ in range(3)] == [1, 2, 3]
    assert storage.get_expiry("guest") == now[0] + 60
    now[0] += 61
    assert storage.get("guest") == 0  # the window is over: nothing counts against them
    assert storage.incr("guest", expiry=60) == 1
    storage.incr("passer-by", expiry=60)
    now[0] += rate_file.SWEEP_SECONDS + 61
    storage.incr("latecomer", expiry=60)  # sweeps what expired
    rows = storage._connection().execute("SELECT key FROM counter").fetchall()
    assert rows == [("latecomer",)]
    assert storage.check() and storage.reset() == 1
