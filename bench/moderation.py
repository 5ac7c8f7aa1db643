"""Moderation speed: `make bench` prints queue-page times for short and long queues, and the
time to act on 1,000 replies at once. Figures and ratios, not pass/fail."""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from flask import Flask
from sqlalchemy import event

from forum import create_app
from forum.extensions import db
from forum.models import ReplyStatus
from forum.models import Role
from forum.services.moderation.actions import moderate
from tests.conftest import RequestScopedClient
from tests.conftest import login_on
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

RUNS = 10


def _queue_ms(app: Flask, pending: int) -> tuple[float, int]:
    """Median time of the Pending tab with `pending` replies waiting, and its query count."""
    with app.app_context():
        post = make_post()
        for n in range(pending):
            make_reply(
                post,
                status=ReplyStatus.PENDING,
                guest_email=f"g{n % 200}@example.org",
                commit=False,
            )
        db.session.commit()
        moderator = make_user(role=Role.MODERATOR)
        engine = db.engine
        client = app.test_client()
        login_on(client, moderator)
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    client.get("/mod/queue/pending")
    timings = []
    event.listen(engine, "before_cursor_execute", record)
    for _ in range(RUNS):
        statements.clear()
        started = time.perf_counter()
        client.get("/mod/queue/pending")
        timings.append((time.perf_counter() - started) * 1000)
    event.remove(engine, "before_cursor_execute", record)
    return statistics.median(timings), len(statements)


def _bulk_ms(app: Flask, count: int) -> float:
    with app.app_context():
        post = make_post()
        ids = [make_reply(post, status=ReplyStatus.PENDING, commit=False).id for _ in range(count)]
        db.session.commit()
        moderator = make_user(role=Role.MODERATOR)
        started = time.perf_counter()
        moderate(moderator=moderator, reply_ids=ids, action="spam")
        return (time.perf_counter() - started) * 1000


def _app(folder: str, name: str) -> Flask:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{Path(folder) / name}",
            "SECRET_KEY": "bench",
            "CHECK_SCHEMA": False,
            "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False,
        }
    )
    app.test_client_class = RequestScopedClient
    with app.app_context():
        db.create_all()
    return app


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        print(f"Moderation queue (Pending tab, 50 per page), SQLite, median of {RUNS} runs")
        results = {}
        for pending in (10, 2_000):
            ms, queries = _queue_ms(_app(folder, f"queue{pending}.sqlite3"), pending)
            results[pending] = ms
            print(f"{pending:>8} waiting {ms:>8.1f} ms {queries:>4} queries")
        print(f"ratio 2,000 / 10 waiting: {results[2_000] / results[10]:.2f}")
        bulk = _bulk_ms(_app(folder, "bulk.sqlite3"), 1_000)
        print(f"mark 1,000 replies as spam in one action (with filter training): {bulk:.0f} ms")


if __name__ == "__main__":
    main()
