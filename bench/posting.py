"""A guest's inline reply, in-process: CPU ms and SQL statements per post, and a profile.

The same request as bench/serve_bench.py `posting` (every rule and the spam score on, JSON
answer), through app.test_client on a database seeded by bench/serve_seed.py, so changes to
the posting path can be compared without gunicorn:

    PYTHONPATH=. .venv/bin/python -m bench.posting sqlite:////tmp/post.sqlite3 [--seed] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

from sqlalchemy import event

from bench import cluster
from bench.serve_seed import seed
from forum import create_app
from forum.extensions import db
from forum.models import Post


def _app(url: str, folder: Path):  # type: ignore[no-untyped-def]
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


def _posting_slug(app) -> str:  # type: ignore[no-untyped-def]
    with app.app_context():
        slug = db.session.query(Post.slug).filter(Post.title == "Posting here").scalar()
        db.session.remove()
    return str(slug)


def run(url: str, posts: int, profile: bool, start: int, verbose: bool = False) -> None:
    folder = Path(tempfile.mkdtemp(prefix="porch-posting-"))
    app = _app(url, folder)
    slug = _posting_slug(app)
    browser = app.test_client()
    browser.get(f"/t/{slug}")
    token = browser.get("/session/csrf").get_json()["csrf_token"]
    session = browser.get_cookie("session")
    assert session is not None  # nosec B101
    cookie = f"session={session.value}"
    # As the bench's client: the same cookie every time, never the one an answer sets, so each
    # post is a new guest browser (else the flood rule refuses the next post).
    client = app.test_client(use_cookies=False)
    with app.app_context():
        engine = db.engine
    statements: list[str] = []

    def record(*args: object) -> None:
        where = ""
        if verbose:  # the innermost frames of Porch's own code that ran the statement
            frames = [f for f in traceback.extract_stack() if "/forum/" in f.filename]
            where = " <- ".join(f"{Path(f.filename).stem}:{f.name}" for f in frames[::-1][:4])
        statements.append(str(args[2]) + ("\n   @ " + where if where else ""))

    def post(n: int) -> None:
        form = {
            "name": f"Guest {n}",
            "email": f"bench-guest-{n}@example.org",
            "body": f"Thank you for writing this, number {n}. Week {n % 9} was the hardest.",
            "csrf_token": token,
        }
        headers = {
            "Accept": "application/json",
            "Cookie": cookie,
            "X-Forwarded-For": f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        }
        answer = client.post(f"/t/{slug}/replies", data=form, headers=headers)
        assert answer.status_code == 201, answer.get_data(as_text=True)[:300]

    for n in range(start, start + 5):  # warm-up
        post(n)
    event.listen(engine, "before_cursor_execute", record)
    post(start + 5)
    event.remove(engine, "before_cursor_execute", record)
    print(f"statements per post: {len(statements)}")
    for text, count in Counter(s.split("\n")[0][:150] for s in statements).items():
        print(f"  {count} x {text}")
    if verbose:
        for statement in statements:
            print(" ".join(statement.split()), "\n")
    profiler = cProfile.Profile() if profile else None
    begin = time.process_time()
    if profiler:
        profiler.enable()
    for n in range(start + 6, start + 6 + posts):
        post(n)
    if profiler:
        profiler.disable()
    cpu = (time.process_time() - begin) * 1000 / posts
    print(f"CPU per post: {cpu:.1f} ms (over {posts} posts)")
    if profiler:
        profiler.dump_stats(folder / "posting.prof")
        print(f"profile: {folder / 'posting.prof'}")
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(45)
        stats.sort_stats("tottime").print_stats(25)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("--seed", action="store_true", help="migrate and seed the database first")
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--start", type=int, default=0, help="first guest number (fresh guests)")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--verbose", action="store_true", help="print each statement")
    args = parser.parse_args()
    if args.seed:
        cluster.flask(cluster.porch_env(args.url), "db", "upgrade")
        seed(args.url)
    run(args.url, args.posts, args.profile, args.start, args.verbose)


if __name__ == "__main__":
    main()
