"""Two gunicorn instances, one PostgreSQL and one Redis, behind nginx with deploy/nginx.conf.

Runs only where nginx, PostgreSQL (PORCH_TEST_DATABASE_URL, as `make test-pg` sets) and Redis
are at hand: CI installs nginx; elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email import policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import redis
import requests
from aiosmtpd.controller import Controller

from bench import cluster
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr

BASE_URL = os.environ.get("PORCH_TEST_DATABASE_URL", "")
# Huey's queue lives in this Redis database: sessions running this test at once need their own.
REDIS_URL = os.environ.get("PORCH_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")
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
    # Its module fixture migrates, seeds and starts two gunicorns, nginx and two workers: on a
    # busy 2-core machine that alone can pass the default 120 s.
    pytest.mark.timeout(900),
]


class MailSink:
    """An SMTP server on 127.0.0.1 keeping every message it accepts."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(message)  # type: ignore[arg-type]
        return "250 Message accepted"


@dataclass
class Site:
    a: cluster.Process
    b: cluster.Process
    proxy: cluster.Process
    env: dict[str, str]
    running: cluster.Cluster
    mail: MailSink
    logs: Path


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    logs = tmp_path_factory.mktemp("two-instances")
    prefix = f"porch-deploy-{uuid.uuid4().hex}"  # this run's keys on the shared Redis
    sink = MailSink()
    smtp = Controller(sink, hostname="127.0.0.1", port=cluster.free_port())
    smtp.start()
    env = cluster.porch_env(
        cluster.fresh_pg_database(BASE_URL, "deploy"),
        REDIS_URL=REDIS_URL,
        RATELIMIT_KEY_PREFIX=prefix,
        TRUSTED_PROXIES="1",
        LOGIN_RATE_LIMIT="3 per minute",
        IMPORT_DIR=str(logs / "imports"),
        PASSWORD=PASSWORD,
        SMTP_URL=f"smtp://127.0.0.1:{smtp.port}",
        MAIL_DIR=str(logs / "mail"),  # unused with SMTP; never the checkout's instance/
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
        yield Site(a, b, proxy, env, running, sink, logs)
    smtp.stop()
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


@pytest.fixture(scope="module")
def workers(site: Site) -> list[cluster.Process]:
    """A `porch worker` beside each instance, both on the same PostgreSQL and Redis queue."""
    return [site.running.add(cluster.worker(site.env, site.logs, f"worker-{n}")) for n in (1, 2)]


def test_import_job_runs_once_with_a_worker_on_each_side(
    site: Site, workers: list[cluster.Process]
) -> None:
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


SUBSCRIBE = """
import sys
from forum import create_app
from forum.extensions import db
from forum.models import Post, Scope, Subscription
from forum.services import accounts
app = create_app()
with app.app_context():
    post = db.session.query(Post).filter_by(slug="hello").one()
    for email in sys.argv[1:]:
        accounts.confirm_guest_email(email)
        db.session.add(Subscription(email=email, scope=Scope.THREAD, post_id=post.id))
    db.session.commit()
"""


def _outbox(env: dict[str, str]) -> list[tuple[str, str, int]]:
    import psycopg

    url = env["PORCH_DATABASE_URL"].replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT to_address, status, attempts FROM mail_message").fetchall()
    return [(str(to), str(status), int(attempts)) for to, status, attempts in rows]


def test_mail_is_delivered_once_with_a_worker_on_each_side(
    site: Site, workers: list[cluster.Process]
) -> None:
    readers = [f"reader-{n}-{uuid.uuid4().hex[:6]}@example.org" for n in range(6)]
    done = subprocess.run(
        [cluster.PYTHON, "-c", SUBSCRIBE, *readers], cwd=cluster.ROOT, env=site.env,
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    guest = requests.Session()
    # From an address and email of its own: the flood rule counts the other tests' replies.
    guest.headers["X-Forwarded-For"] = "198.51.100.26"
    guest.get(site.proxy.url + "/t/hello", timeout=TIMEOUT)
    token = guest.get(site.proxy.url + "/session/csrf", timeout=TIMEOUT).json()["csrf_token"]
    words = f"News for every subscriber {uuid.uuid4().hex[:8]}"
    email = f"bo-{uuid.uuid4().hex[:6]}@example.org"
    form = {"name": "Bo", "email": email, "body": words, "csrf_token": token}
    posted = guest.post(site.a.url + "/t/hello/replies", data=form, timeout=TIMEOUT,
                        headers={"Accept": "application/json"})  # fmt: skip
    assert posted.status_code == 201, posted.text[:300]
    if posted.json()["status"] == "pending":
        moderator = requests.Session()
        # From an address of its own: the other tests' sign-ins used this minute's login limit.
        moderator.headers["X-Forwarded-For"] = "198.51.100.25"
        assert _sign_in(moderator, site.b.url).status_code == 303
        token = _token(moderator.get(site.b.url + "/mod/queue/pending", timeout=TIMEOUT))
        act = {"single": f"approve:{posted.json()['id']}", "csrf_token": token}
        assert moderator.post(site.b.url + "/mod/act", data=act, timeout=TIMEOUT).ok
    deadline = time.monotonic() + 90  # the trigger, or at worst the next minute's sweep
    while time.monotonic() < deadline:
        got = {str(to) for mail in site.mail.received for to in mail.get_all("To", [])}
        if set(readers) <= got:
            break
        time.sleep(0.5)
    time.sleep(3)  # a second delivery by the other worker would arrive by now
    delivered = [str(mail["Message-ID"]) for mail in site.mail.received]
    to_readers = [m for m in site.mail.received if str(m["To"]) in readers]
    assert sorted(str(m["To"]) for m in to_readers) == sorted(readers)  # each exactly once
    assert all(words in m.get_body(("plain",)).get_content() for m in to_readers)  # type: ignore[union-attr]
    assert len(delivered) == len(set(delivered))  # no message twice, whichever kind
    outbox = _outbox(site.env)
    sent = [row for row in outbox if row[1] == "sent"]
    assert len(sent) == len(delivered), outbox  # every accepted mail marked sent, once
    ran = [w.log_text().count("Executing forum.mail.tasks") for w in workers]
    assert sum(ran) >= 1 and all(w.popen.poll() is None for w in workers), ran
