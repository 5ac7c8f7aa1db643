"""Search speed: `make bench` prints p50 timings and statement counts for search on both databases.

The demo site plus 100,000 generated replies (words drawn from the demo's own replies), searched
through the service and through the page. Figures, not pass/fail; the statement count must not
depend on how many replies match. Results are also written to bench/results.md.
"""

from __future__ import annotations

import os
import random
import re
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import text

from forum import create_app
from forum.demo import load_demo
from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models.reply import path_segment
from forum.services import search
from forum.services.search import Scope
from forum.services.search import SearchFilters
from tests.pg_database import create as create_pg_database

GENERATED = int(os.environ.get("BENCH_SEARCH_REPLIES", "100000"))
RUNS = 11
PG_URL = os.environ.get(
    "BENCH_SEARCH_PG_URL", "postgresql://postgres@127.0.0.1:5432/porch_bench_search"
)
RESULTS = Path(__file__).with_name("results.md")
SECTION = "## Search (issue 12)"
QUERIES: list[tuple[str, str, dict[str, Any]]] = [
    ("common word", "doctor", {}),
    ("rare word", "tapering", {}),
    ("prefix", "walk*", {}),
    ("phrase", '"wobbly weeks"', {}),
    ("two words, one excluded", "sleep week -tablets", {}),
    ("in one thread", "doctor", {"thread": True}),
    ("moderators, all statuses", "doctor", {"scope": Scope.MODERATION}),
]


def _vocabulary() -> list[str]:
    words: list[str] = []
    for source in db.session.scalars(select(Reply.body_source)):
        words.extend(re.findall(r"[A-Za-z']+", source))
    return words


def _sentence(rng: random.Random, words: list[str]) -> str:
    body = " ".join(rng.choice(words) for _ in range(rng.randint(8, 45)))
    if rng.random() < 0.01:
        body += " I am tapering slowly."
    if rng.random() < 0.003:
        body += " Those wobbly weeks again."
    return body


def _generate(total: int, seed: int = 12) -> float:
    """Bulk-insert `total` top-level replies spread over the demo posts; returns seconds."""
    started = time.perf_counter()
    rng = random.Random(seed)
    words = _vocabulary()
    post_ids = list(db.session.scalars(select(Post.id)))
    next_id = (db.session.scalar(select(func.max(Reply.id))) or 0) + 1
    for start in range(0, total, 5000):
        rows = []
        for reply_id in range(next_id + start, next_id + min(start + 5000, total)):
            body = _sentence(rng, words)
            spam = rng.random() < 0.05
            rows.append(
                {
                    "id": reply_id,
                    "post_id": rng.choice(post_ids),
                    "root_id": None,
                    "path": path_segment(reply_id),
                    "depth": 0,
                    "body_source": body,
                    "body_html": f"<p>{body}</p>",
                    "guest_name": f"Guest {reply_id % 997}",
                    "status": ReplyStatus.SPAM if spam else ReplyStatus.APPROVED,
                }
            )
        db.session.execute(insert(Reply), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval('reply_id_seq', (SELECT max(id) FROM reply))"))
        db.session.commit()
    return time.perf_counter() - started


def _p50(action: Callable[[], Any]) -> tuple[float, int]:
    """Median milliseconds over RUNS, and the statements one run sends."""
    statements: list[str] = []

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    action()  # warm
    timings = []
    for _ in range(RUNS):
        statements.clear()
        event.listen(db.engine, "before_cursor_execute", record)
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
        event.remove(db.engine, "before_cursor_execute", record)
    return statistics.median(timings), len(statements)


def _app(url: str) -> Flask:
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "CHECK_SCHEMA": False,
            "RATELIMIT_ENABLED": False,
        }
    )


def _measure(app: Flask, label: str) -> list[str]:
    lines = [
        f"| {label} | query | hits | search() p50 ms | page p50 ms | search() statements |",
        "|---|---|---:|---:|---:|---:|",
    ]
    client = app.test_client()
    thread = db.session.scalar(select(Post.slug).order_by(Post.id.desc()).limit(1))
    for name, query, options in QUERIES:
        scope = options.get("scope", Scope.PUBLIC)
        filters = SearchFilters(thread=thread if options.get("thread") else None)
        hits = search.search(query, scope=scope, filters=filters).total
        service_ms, statements = _p50(
            lambda q=query, s=scope, f=filters: search.search(q, scope=s, filters=f)
        )
        url_args = {"q": query, **({"thread": thread} if options.get("thread") else {})}
        page = "–"
        if scope is Scope.PUBLIC:
            page_ms, page_statements = _p50(
                lambda a=url_args: client.get("/search", query_string=a)
            )
            page = f"{page_ms:.1f} ({page_statements} statements)"
        lines.append(
            f"| {name} | `{query}` | {hits:,} | {service_ms:.1f} | {page} | {statements} |"
        )
    return lines


def run(url: str, label: str) -> list[str]:
    app = _app(url)
    with app.app_context():
        db.drop_all()
        db.create_all()
        load_demo(seed=7)
        generated = _generate(GENERATED)
        started = time.perf_counter()
        counts = search.reindex_all()
        reindexed = time.perf_counter() - started
        db.session.execute(text("ANALYZE"))
        db.session.commit()
        print(
            f"\n{label}: {counts['replies']:,} replies ({GENERATED:,} generated in "
            f"{generated:.1f} s); `porch search reindex` took {reindexed:.1f} s"
        )
        lines = _measure(app, label)
        print("\n".join(lines))
        db.session.remove()
        db.engine.dispose()
    return [
        f"{label}: {counts['replies']:,} replies; full reindex {reindexed:.1f} s.",
        "",
        *lines,
        "",
    ]


def _write(report: list[str]) -> None:
    """Replace this benchmark's section of bench/results.md, keeping the others."""
    old = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    before, _, after = old.partition(SECTION)
    rest = after[after.find("\n## ") :] if "\n## " in after else ""
    body = "\n".join(
        [
            SECTION,
            "",
            f"`python -m bench.search`, {time.strftime('%Y-%m-%d')}, median of {RUNS} runs.",
            "",
            *report,
        ]
    )
    RESULTS.write_text(before.rstrip("\n") + "\n\n" + body.rstrip("\n") + "\n" + rest)


def main() -> None:
    report: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        report += run(f"sqlite:///{Path(folder) / 'bench.sqlite3'}", "SQLite (FTS5)")
    create_pg_database(PG_URL)
    report += run(PG_URL, "PostgreSQL (tsvector + GIN)")
    _write(report)
    print(f"\nWritten to {RESULTS}")


if __name__ == "__main__":
    main()
