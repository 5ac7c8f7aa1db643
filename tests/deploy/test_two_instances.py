"""Two gunicorn instances, one PostgreSQL and one Redis, behind nginx with deploy/nginx.conf.

Runs only where nginx, PostgreSQL (PORCH_TEST_DATABASE_URL, as `make test-pg` sets) and Redis
are at hand: CI installs nginx; elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import requests

from bench import cluster
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr

BASE_URL = os.environ.get("PORCH_TEST_DATABASE_URL", "")
REDIS_URL = "redis://127.0.0.1:6379/14"
PASSWORD = "a long admin password"
TIMEOUT = 15


def _redis_up() -> bool:
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5) as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


pytestmark = [
    pytest.mark.skipif(
        cluster.NGINX is None, reason="nginx is not installed (apt-get install nginx)"
    ),
    pytest.mark.skipif(
        not BASE_URL.startswith("postgresql"),
        reason="needs PostgreSQL: PORCH_TEST_DATABASE_URL (make test-pg)",
    ),
    pytest.mark.skipif(not _redis_up(), reason="no Redis server at 127.0.0.1:6379"),
]


@dataclass
class Site:
    a: cluster.Process
    b: cluster.Process
    proxy: cluster.Process
    env: dict[str, str]
    running: cluster.Cluster


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    logs = tmp_path_factory.mktemp("two-instances")
    prefix = f"porch-deploy-{uuid.uuid4().hex}"  # this run's keys on the shared Redis
    env = cluster.porch_env(
        cluster.fresh_pg_database(BASE_URL, "deploy"),
        REDIS_URL=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        TRUSTED_PROXIES="1",
        LOGIN_RATE_LIMIT="3 per minute",
        IMPORT_DIR=str(logs / "imports"),
        PASSWORD=PASSWORD,
    )
    cluster.flask(env, "db", "upgrade")
    cluster.flask(env, "porch", "user", "create", "--email", "admin@example.org",
                  "--name", "Admin", "--role", "admin")  # fmt: skip
    (logs / "hello.md").write_text("The article everyone answers.")
    cluster.flask(
        env, "porch", "post", "create", "--title", "Hello", "--file", str(logs / "hello.md")
    )
    with cluster.cluster() as running:
        a = running.add(cluster.gunicorn(env, logs, name="a", workers=1, threads=2))
        b = running.add(cluster.gunicorn(env, logs, name="b", workers=1, threads=2))
        proxy = running.add(cluster.nginx([a.port or 0, b.port or 0], logs))
        yield Site(a, b, proxy, env, running)
    with redis.Redis.from_url(REDIS_URL) as client:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)


def _token(page: requests.Response) -> str:
    found = re.search(r'name="csrf-token" content="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def _sign_in(browser: requests.Session, base: str) -> requests.Response:
    token = _token(browser.get(f"{base}/account/login", timeout=TIMEOUT))
    form = {"email": "admin@example.org", "password": PASSWORD, "csrf_token": token}
    return browser.post(f"{base}/account/login", data=form, allow_redirects=False, timeout=TIMEOUT)


def test_proxy_serves_pages_static_files_and_request_ids(site: Site) -> None:
    page = requests.get(
        site.proxy.url + "/t/hello", timeout=TIMEOUT, headers={"Accept-Encoding": "gzip"}
    )
    assert page.status_code == 200 and "The article everyone answers." in page.text
    assert page.headers["Content-Encoding"] == "gzip"  # compressed by Porch, not twice
    assert re.fullmatch(r"[0-9a-f]{32}", page.headers["X-Request-Id"])  # nginx's $request_id
    css = requests.get(site.proxy.url + "/static/css/porch.css", timeout=TIMEOUT)
    assert css.content == (cluster.ROOT / "static/css/porch.css").read_bytes()
    assert "X-Request-Id" not in css.headers  # from disk: no gunicorn involved
    assert requests.get(site.proxy.url + "/metrics", timeout=TIMEOUT).status_code == 404
    assert requests.get(site.proxy.url + "/readyz", timeout=TIMEOUT).json() == {"status": "ok"}


def test_session_made_on_one_instance_is_valid_on_the_other(site: Site) -> None:
    browser = requests.Session()
    assert _sign_in(browser, site.a.url).status_code == 303
    dashboard = browser.get(
        site.b.url + "/mod/queue/pending", timeout=TIMEOUT, allow_redirects=False
    )
    assert dashboard.status_code == 200 and "Pending" in dashboard.text


def test_rate_limit_counts_across_both_instances(site: Site) -> None:
    visitor = {"X-Forwarded-For": "203.0.113.77"}  # as nginx would pass it: one address
    codes = []
    for base in (site.a.url, site.b.url, site.a.url, site.b.url):
        browser = requests.Session()
        browser.headers.update(visitor)
        token = _token(browser.get(f"{base}/account/login", timeout=TIMEOUT))
        form = {"email": "nobody@example.org", "password": "wrong password", "csrf_token": token}
        codes.append(browser.post(f"{base}/account/login", data=form, timeout=TIMEOUT).status_code)
    assert codes == [400, 400, 400, 429]


def test_reply_approved_on_one_instance_shows_on_the_other(site: Site) -> None:
    guest = requests.Session()
    # The anonymous thread page is cached and carries no token: forms fetch one, as porch.js does.
    page = guest.get(site.proxy.url + "/t/hello", timeout=TIMEOUT).text
    assert 'name="csrf-token" content=""' in page
    token = guest.get(site.proxy.url + "/session/csrf", timeout=TIMEOUT).json()["csrf_token"]
    words = f"Held until a moderator looks {uuid.uuid4().hex[:8]}"
    form = {"name": "Ada", "email": "ada@example.org", "body": words, "csrf_token": token}
    posted = guest.post(site.proxy.url + "/t/hello/replies", data=form, timeout=TIMEOUT,
                        headers={"Accept": "application/json"})  # fmt: skip
    assert posted.status_code == 201 and posted.json()["status"] == "pending"
    assert words not in requests.get(site.a.url + "/t/hello", timeout=TIMEOUT).text
    moderator = requests.Session()
    _sign_in(moderator, site.b.url)
    token = _token(moderator.get(site.b.url + "/mod/queue/pending", timeout=TIMEOUT))
    act = {"single": f"approve:{posted.json()['id']}", "csrf_token": token}
    assert moderator.post(site.b.url + "/mod/act", data=act, timeout=TIMEOUT).status_code == 200
    for base in (site.a.url, site.b.url, site.proxy.url):
        assert words in requests.get(base + "/t/hello", timeout=TIMEOUT).text


def test_import_job_runs_once_with_a_worker_on_each_side(site: Site, tmp_path: Path) -> None:
    workers = [site.running.add(cluster.worker(site.env, tmp_path, f"worker-{n}")) for n in (1, 2)]
    comments = [Comment(id=n, content=f"Imported comment {n}") for n in range(1, 41)]
    export = wxr([Item(id=1, title="Imported post", slug="imported", comments=comments)])
    admin = requests.Session()
    _sign_in(admin, site.a.url)
    token = _token(admin.get(site.a.url + "/mod/settings/import", timeout=TIMEOUT))
    sent = admin.post(site.a.url + "/mod/settings/import", timeout=TIMEOUT,
                      data={"source": "wordpress", "csrf_token": token},
                      files={"file": ("export.xml", export.encode())})  # fmt: skip
    assert sent.status_code == 200 and "/mod/settings/import/" in sent.url
    progress = sent.url + "/progress"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        state = admin.get(progress, timeout=TIMEOUT).json()
        if state["status"] in ("done", "failed"):
            break
        time.sleep(0.5)
    assert state["status"] == "done", state
    thread = requests.get(site.b.url + "/t/imported", timeout=TIMEOUT).text
    assert all(thread.count(f"Imported comment {n}<") == 1 for n in (1, 20, 40))
    ran = [
        w.log_text().count("Executing forum.services.importing.tasks.run_import_job")
        for w in workers
    ]
    assert sorted(ran) == [0, 1], ran
