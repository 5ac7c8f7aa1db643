"""The limiter's in-process counters: limits decided as limits' MemoryStorage decides them,
expired counters still freed, and at most one sweep a second however many addresses hit."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from limits import parse
from limits.storage import MemoryStorage
from limits.storage import storage_from_string
from limits.strategies import FixedWindowRateLimiter

from forum.extensions import limiter
from forum.security import rate_storage
from forum.security.rate_storage import SweptMemoryStorage
from tests.conftest import make_app


def test_the_app_without_redis_counts_in_the_swept_storage() -> None:
    app = make_app(RATELIMIT_ENABLED=True)
    with app.app_context():
        assert isinstance(limiter.storage, SweptMemoryStorage)
    uri = app.config["RATELIMIT_STORAGE_URI"]
    assert isinstance(storage_from_string(uri), SweptMemoryStorage)


def test_it_decides_as_the_library_does() -> None:
    ten_a_minute = parse("10 per minute")
    ours, theirs = (
        FixedWindowRateLimiter(SweptMemoryStorage()),
        FixedWindowRateLimiter(MemoryStorage()),
    )
    for n in range(25):
        address = f"10.0.0.{n % 2}"
        assert ours.hit(ten_a_minute, address) == theirs.hit(ten_a_minute, address)
    assert not ours.hit(ten_a_minute, "10.0.0.0")
    assert ours.hit(ten_a_minute, "10.0.0.9")


def test_at_most_one_sweep_a_second_and_expired_counters_are_freed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started: list[Any] = []

    class Counted(threading.Timer):
        def start(self) -> None:
            started.append(self)
            super().start()

    storage = SweptMemoryStorage()
    monkeypatch.setattr("limits.storage.memory.threading.Timer", Counted)
    for n in range(200):
        storage.incr(f"guest-{n}", expiry=0.05)
        time.sleep(0.001)  # the library would have swept about every 10 ms
    assert len(started) <= 2
    assert len(storage.expirations) == 200
    monkeypatch.setattr(rate_storage, "SWEEP_SECONDS", 0.0)
    time.sleep(0.06)
    storage._next_sweep = 0.0
    storage.incr("late", expiry=60)
    started[-1].join(1)
    assert list(storage.expirations) == ["late"]  # the expired 200 were freed
    assert storage.get("guest-1") == 0
