"""Thread page speed: `make bench` prints render times and query counts for small and large threads.

Figures, not pass/fail: compare runs before and after a change. The ratio large/small shows how
cost grows with thread size; the query count must not grow at all. The page cache is off, so
each request renders the page as a reader does after a change to the thread (a cached copy
costs neither rendering nor queries: bench/serve_bench.py measures those).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from forum import create_app
from forum.extensions import db
from tests.factories import make_post
from tests.factories import make_reply

RUNS = 15


def _grow(post_id: int, total: int) -> None:
    from forum.models import Post

    post = db.session.get(Post, post_id)
    assert post is not None
    made = 0
    while made < total:
        parent = make_reply(post, commit=False)
        made += 1
        for _ in range(min(7, total - made)):
            parent = make_reply(post, parent, commit=False)
            made += 1
    db.session.commit()


def _measure(client, url: str, engine) -> tuple[float, float, int]:  # type: ignore[no-untyped-def]
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", record)
    client.get(url)  # warm caches and templates
    timings = []
    for _ in range(RUNS):
        statements.clear()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    event.remove(engine, "before_cursor_execute", record)
    return statistics.median(timings), min(timings), len(statements)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{Path(folder) / 'bench.sqlite3'}",
                "SECRET_KEY": "bench",
                "CHECK_SCHEMA": False,
                "RATELIMIT_ENABLED": False,
                "PAGE_CACHE": "off",
            }
        )
        with app.app_context():
            db.create_all()
            sizes = {10: make_post(), 1500: make_post(), 5000: make_post()}
            for size, post in sizes.items():
                _grow(post.id, size)
            slugs = {size: post.slug for size, post in sizes.items()}
            engine = db.engine
        client = app.test_client()
        print(f"Thread page, SQLite, median of {RUNS} runs (ms)")
        print(f"{'replies':>8} {'page':>12} {'median':>8} {'best':>8} {'queries':>8}")
        results = {}
        for size, slug in slugs.items():
            for label, url in (("first page", f"/t/{slug}"), ("whole tree", f"/t/{slug}?page=1")):
                if label == "whole tree":
                    app.config["REPLIES_PER_PAGE"] = 10_000
                median, best, queries = _measure(client, url, engine)
                app.config["REPLIES_PER_PAGE"] = 50
                results[(size, label)] = median
                print(f"{size:>8} {label:>12} {median:>8.1f} {best:>8.1f} {queries:>8}")
        comparisons = (
            (1500, 10, "first page"),
            (1500, 10, "whole tree"),
            (5000, 1500, "first page"),
        )
        for big, small, label in comparisons:
            ratio = results[(big, label)] / results[(small, label)]
            print(f"ratio {label}, {big:,} / {small:,} replies: {ratio:.2f}")


if __name__ == "__main__":
    main()
