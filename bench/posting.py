"""A guest's inline reply, in-process: CPU ms and SQL statements per post, and a profile.

The same request as bench/serve_bench.py `posting` (every rule and the spam score on, JSON
answer), through app.test_client on a database seeded by bench/serve_seed.py, so changes to
the posting path can be compared without gunicorn:

    PYTHONPATH=. .venv/bin/python -m bench.posting URL [--seed] [--start N] [--profile] [--verbose]

URL is e.g. sqlite:////tmp/post.sqlite3; --seed migrates and seeds it first (minutes); give each
run a new --start so its guests are new (the duplicate rule refuses a guest's second text).
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Engine
from sqlalchemy import event

from bench import cluster
from bench.serve_bench import guest_reply
from bench.serve_bench import script_fetch_headers
from bench.serve_seed import seed
from forum import create_app
from forum.extensions import db
from forum.models import Post


def _app(url: str, folder: Path) -> Flask:
    """Configured as bench/serve_bench.py configures its gunicorn workers."""
    return create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "TRUSTED_PROXIES": 1,
            "LOG_FORMAT": "json",
            "JOBS_QUEUE_FILE": str(folder / "huey.sqlite3"),
            "MAIL_DIR": str(folder / "mail"),
        }
    )


def _poster(app: Flask) -> Callable[[int], None]:
    """POST guest n's reply as the bench's client does: one cookie for all, never the one an
    answer sets, so each post is a new guest browser (the flood rule refuses a second)."""
    with app.app_context():
        slug = db.session.query(Post.slug).filter(Post.title == "Posting here").scalar()
        db.session.remove()
    browser = app.test_client()
    browser.get(f"/t/{slug}")
    token = browser.get("/session/csrf").get_json()["csrf_token"]
    session = browser.get_cookie("session")
    assert session is not None  # nosec B101
    client: FlaskClient = app.test_client(use_cookies=False)

    def post(n: int) -> None:
        form, headers = guest_reply(n, token)
        headers |= {
            "Cookie": f"session={session.value}",
            **script_fetch_headers("http://localhost"),
        }
        answer = client.post(f"/t/{slug}/replies", data=form, headers=headers)
        assert answer.status_code == 201, answer.get_data(as_text=True)[:300]  # nosec B101

    return post


@dataclass
class Recorder:
    """The statements one post runs, with the time each took and the code that ran it."""

    sqlite: bool
    statements: list[tuple[str, Any, str]] = field(default_factory=list)
    took: list[float] = field(default_factory=list)
    started: float = 0.0

    def before(self, _conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        frames = [f for f in traceback.extract_stack() if "/forum/" in f.filename]
        where = " <- ".join(f"{Path(f.filename).stem}:{f.name}" for f in frames[::-1][:4])
        self.statements.append((statement, parameters, where))
        self.started = time.perf_counter()

    def after(self, *_: Any) -> None:
        self.took.append((time.perf_counter() - self.started) * 1000)

    def report(self, engine: Engine, verbose: bool) -> None:
        print(f"statements per post: {len(self.statements)}")
        for text, count in Counter(s.split("\n")[0][:150] for s, _, _ in self.statements).items():
            print(f"  {count} x {text}")
        if not verbose:
            return
        for (statement, parameters, where), ms in zip(self.statements, self.took, strict=True):
            print(f"[{ms:.2f} ms]", " ".join(statement.split()), f"\n   @ {where}")
            if self.sqlite and statement.startswith("SELECT"):
                with engine.connect() as connection:
                    cursor = connection.connection.cursor()
                    plan = cursor.execute("EXPLAIN QUERY PLAN " + statement, parameters)
                    print("   plan:", [row[3] for row in plan.fetchall()])


def _count_one(engine: Engine, post: Callable[[], None], verbose: bool) -> None:
    recorder = Recorder(sqlite=engine.dialect.name == "sqlite")
    event.listen(engine, "before_cursor_execute", recorder.before)
    event.listen(engine, "after_cursor_execute", recorder.after)
    try:
        post()
    finally:
        event.remove(engine, "before_cursor_execute", recorder.before)
        event.remove(engine, "after_cursor_execute", recorder.after)
    recorder.report(engine, verbose)


def _timed(post: Callable[[int], None], numbers: range, profile: Path | None) -> None:
    profiler = cProfile.Profile() if profile else None
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler:
        profiler.enable()
    for n in numbers:
        post(n)
    if profiler:
        profiler.disable()
    cpu = (time.process_time() - cpu) * 1000 / len(numbers)
    wall = (time.perf_counter() - wall) * 1000 / len(numbers)
    print(f"CPU per post: {cpu:.1f} ms, wall {wall:.1f} ms (over {len(numbers)} posts)")
    if profiler is None:  # on a shared machine the least loaded stretch says most
        print(f"CPU per post, quietest {CHUNK} posts: {_quietest(post, numbers):.2f} ms")
    if profiler and profile:
        profiler.dump_stats(profile)
        print(f"profile: {profile}")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)


CHUNK = 25


def _quietest(post: Callable[[int], None], numbers: range) -> float:
    """Again for as many new guests, in chunks: the least CPU per post of any chunk."""
    after = numbers.stop
    least = float("inf")
    for start in range(after, after + len(numbers), CHUNK):
        cpu = time.process_time()
        for n in range(start, start + CHUNK):
            post(n)
        least = min(least, (time.process_time() - cpu) * 1000 / CHUNK)
    return least


def run(url: str, posts: int, start: int, profile: bool, verbose: bool) -> None:
    folder = Path(tempfile.mkdtemp(prefix="porch-posting-"))
    app = _app(url, folder)
    post = _poster(app)
    with app.app_context():
        engine = db.engine
    for n in range(start, start + 5):  # warm-up
        post(n)
    _count_one(engine, lambda: post(start + 5), verbose)
    _timed(post, range(start + 6, start + 6 + posts), folder / "posting.prof" if profile else None)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seed", action="store_true", help="migrate and seed the database first")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--start", type=int, default=0, help="first guest number (fresh guests)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="each statement, where, its plan")
    args = parser.parse_args()
    if args.seed:
        cluster.flask(cluster.porch_env(args.url), "db", "upgrade")
        seed(args.url)
    run(args.url, args.posts, args.start, args.profile, args.verbose)


if __name__ == "__main__":
    main()
