"""CPU cost of a signed-in member's 1,000-reply thread page, in-process.

`PYTHONPATH=. .venv/bin/python -m bench.profile_member DB.sqlite3 [N]` seeds DB (bench data, after
`flask db upgrade`) unless it exists, then times N signed-in GETs via the test client and prints a
cProfile top-20. DB may also be a database URL (PostgreSQL: create the database first; it is
seeded unless it has tables). Set PORCH_REPLY_LIST_CACHE=0 for the path without the cached
reply list.
"""

from __future__ import annotations

import cProfile
import logging
import os
import pstats
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine
from sqlalchemy import inspect
from sqlalchemy import select

from bench import cluster
from bench.serve_seed import seed
from forum import create_app
from forum.extensions import db
from forum.models import User
from tests.conftest import login_on


def main() -> None:
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    url = _url(sys.argv[1])
    if not _has_tables(url):
        cluster.flask(cluster.porch_env(url), "db", "upgrade")
        seed(url)
    logging.getLogger("porch.request").setLevel(logging.WARNING)
    overrides = {"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False}
    if os.environ.get("PORCH_REPLY_LIST_CACHE") == "0":
        overrides["REPLY_LIST_CACHE"] = False
    app = create_app(overrides)
    client = app.test_client()
    with app.app_context():
        member = db.session.scalar(select(User).where(User.email.like("%")).order_by(User.id))
        assert member is not None
        login_on(client, member)
        slug = db.session.scalar(
            db.text("SELECT slug FROM post WHERE title = 'A thread of 1000 replies'")
        )
    thread = f"/t/{slug}"
    for _ in range(3):
        assert client.get(thread).status_code == 200
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in range(runs):
        client.get(thread)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(
        f"{runs} signed-in GETs {thread}: {cpu / runs * 1000:.2f} ms CPU, "
        f"{wall / runs * 1000:.2f} ms wall each"
    )
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(50):
        client.get(thread)
    profile.disable()
    pstats.Stats(profile).sort_stats("cumulative").print_stats(20)
    pstats.Stats(profile).sort_stats("tottime").print_stats(20)


def _url(given: str) -> str:
    return given if "://" in given else f"sqlite:///{Path(given).resolve()}"


def _has_tables(url: str) -> bool:
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return False
    engine = create_engine(url)
    try:
        return inspect(engine).has_table("post")
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
