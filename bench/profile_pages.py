"""Where a page's time goes: pyinstrument profiles of the pages the serving targets name.

`PYTHONPATH=. .venv/bin/python -m bench.profile_pages` seeds a SQLite database in a temporary
folder and prints, for the 1,000-reply thread page (anonymous) and the moderation queue with
10,000 pending, the time per page and the profile's heaviest calls.
"""

from __future__ import annotations

import logging
import tempfile
import time
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient
from pyinstrument import Profiler

from bench.serve_seed import _thread
from forum import create_app
from forum.extensions import db
from forum.models import Role
from tests.conftest import login_on
from tests.factories import make_user

RUNS = 5


def _profile(client: FlaskClient, url: str, title: str) -> None:
    assert client.get(url).status_code == 200  # warm
    started = time.perf_counter()
    for _ in range(RUNS):
        client.get(url)
    each = (time.perf_counter() - started) / RUNS * 1000
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(RUNS):
            client.get(url)
    print(f"\n== {title}: {each:.0f} ms per page in-process (mean of {RUNS})")
    print(profiler.output_text(unicode=False, color=False, show_all=False)[:5000])


def _seeded_app(folder: Path) -> tuple[Flask, str, FlaskClient]:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'profile.sqlite3'}",
            "SECRET_KEY": "profile",
            "CHECK_SCHEMA": False,
            "RATELIMIT_ENABLED": False,
            "LOG_FORMAT": "text",
        }
    )
    with app.app_context():
        db.create_all()
        slug = _thread(1_000)
        _thread(10_000, status="pending")
        moderator_client = app.test_client()
        login_on(moderator_client, make_user(role=Role.ADMIN))
    return app, slug, moderator_client


def main() -> None:
    logging.getLogger("porch.request").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        app, slug, moderator = _seeded_app(Path(folder))
        _profile(app.test_client(), f"/t/{slug}", "(a) thread page, 1,000 replies, anonymous")
        _profile(moderator, "/mod/queue/pending", "(d) moderation queue, 10,000 pending")


if __name__ == "__main__":
    main()
