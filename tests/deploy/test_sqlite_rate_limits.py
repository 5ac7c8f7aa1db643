"""The embedded default as `make run` serves it, without Redis: two gunicorn instances on one
SQLite file count a visitor's sign-in attempts together, as a worker per core must."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests

from bench import cluster

TIMEOUT = 15

# Migrating and starting two gunicorns can pass the default 120 s on a busy 2-core machine.
pytestmark = pytest.mark.timeout(600)


def _attempt(base: str) -> int:
    browser = requests.Session()
    page = browser.get(f"{base}/account/login", timeout=TIMEOUT)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert token, page.text[:500]
    form = {"email": "nobody@example.org", "password": "wrong password", "csrf_token": token[1]}
    return browser.post(f"{base}/account/login", data=form, timeout=TIMEOUT).status_code


def test_sign_in_attempts_count_across_workers_on_one_sqlite_file(tmp_path: Path) -> None:
    env = cluster.porch_env(
        f"sqlite:///{tmp_path / 'porch.sqlite3'}",
        LOGIN_RATE_LIMIT="3 per minute",
        # Everything in this test's folder, never the checkout's instance/.
        MAIL_DIR=str(tmp_path / "mail"),
        IMPORT_DIR=str(tmp_path / "imports"),
        JOBS_QUEUE_FILE=str(tmp_path / "huey.sqlite3"),
        PAGE_CACHE_DIR=str(tmp_path / "page-cache"),
    )
    env.pop("PORCH_REDIS_URL", None)
    cluster.flask(env, "db", "upgrade")
    with cluster.cluster() as running:
        a = running.add(cluster.gunicorn(env, tmp_path, name="a", workers=1, threads=2))
        b = running.add(cluster.gunicorn(env, tmp_path, name="b", workers=1, threads=2))
        codes = [_attempt(base) for base in (a.url, b.url, a.url, b.url)]
    assert codes == [400, 400, 400, 429]  # a wrong password, three times; then too many
    assert (tmp_path / "porch.sqlite3-limits").exists()
