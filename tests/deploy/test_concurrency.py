"""Many people at once, through the real server (gunicorn on SQLite, or on PostgreSQL in
`make test-pg`): nothing acknowledged is lost or doubled, no lock error reaches anyone.

Each test starts gunicorn with 2 workers of 4 threads on a database of its own and drives it
over HTTP from 8 client threads, as 8 browsers would.
"""

from __future__ import annotations

import subprocess
import threading
import time
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine
from sqlalchemy import text

from bench import cluster
from tests.conftest import EXTERNAL_DATABASE_URL

CLIENTS = 8
PASSWORD = "correct horse battery staple"
TIMEOUT = 30

SEED = """
from forum import create_app
from forum.models import ReplyStatus, Role
from forum.services import accounts
from tests.factories import make_post, make_reply, set_rules
with create_app().app_context():
    set_rules(hold_first_time=False, flood_seconds=0, link_limit=0,
              spam_threshold=1.01, spam_hold_threshold=1.01)
    post = make_post(slug="busy", title="A busy thread")
    make_reply(post, body_source="Like me, everyone.")
    for n in range(20):
        make_reply(post, body_source=f"Held {n}", status=ReplyStatus.PENDING)
    for n in range(8):
        accounts.create_user(email=f"member{n}@example.org", display_name=f"Member {n}",
                             password="%(password)s", role=Role.MEMBER, min_length=8)
    for n in range(2):
        accounts.create_user(email=f"mod{n}@example.org", display_name=f"Moderator {n}",
                             password="%(password)s", role=Role.MODERATOR, min_length=8)
"""


@dataclass
class Site:
    server: cluster.Process
    env: dict[str, str]
    database_url: str
    logs: Path

    def rows(self, sql: str) -> list[tuple[Any, ...]]:
        url = self.database_url.replace("postgresql://", "postgresql+psycopg://", 1)
        engine = create_engine(url)
        try:
            with engine.connect() as connection:
                return [tuple(row) for row in connection.execute(text(sql))]
        finally:
            engine.dispose()

    def restart(self) -> None:
        self.server = cluster.gunicorn(
            self.env, self.logs, name="porch-again", port=self.server.port, workers=2, threads=4
        )


def _database_url(tmp_path: Path) -> str:
    if (EXTERNAL_DATABASE_URL or "").startswith("postgresql"):
        assert EXTERNAL_DATABASE_URL is not None
        return cluster.fresh_pg_database(EXTERNAL_DATABASE_URL, "concurrency")
    return f"sqlite:///{tmp_path / 'busy.sqlite3'}"


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    url = _database_url(tmp_path)
    env = cluster.porch_env(
        url,
        POST_RATE_LIMIT="100000 per hour",
        LIKE_RATE_LIMIT="100000 per hour",
        LOGIN_RATE_LIMIT="100000 per hour",
        JOBS_QUEUE_FILE=str(tmp_path / "huey.sqlite3"),
        MAIL_DIR=str(tmp_path / "mail"),
    )
    cluster.flask(env, "db", "upgrade")
    done = subprocess.run(
        [cluster.PYTHON, "-c", SEED % {"password": PASSWORD}],
        cwd=cluster.ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    with cluster.cluster() as running:
        server = running.add(cluster.gunicorn(env, tmp_path, workers=2, threads=4))
        built = Site(server, env, url, tmp_path)
        yield built
        running.add(built.server)  # a restarted server is stopped too


def _browser(site: Site, email: str | None = None) -> tuple[requests.Session, str]:
    """A visitor with a session and its CSRF token; signed in when email is given."""
    browser = requests.Session()
    token = browser.get(site.server.url + "/session/csrf", timeout=TIMEOUT).json()["csrf_token"]
    if email is not None:
        answer = browser.post(
            site.server.url + "/account/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token},
            allow_redirects=False, timeout=TIMEOUT,
        )  # fmt: skip
        assert answer.status_code in (302, 303), answer.text[:500]
        token = browser.get(site.server.url + "/session/csrf", timeout=TIMEOUT).json()[
            "csrf_token"
        ]
    return browser, token


def _at_once(work: Callable[[int], list[Any]], count: int = CLIENTS) -> list[Any]:
    """Run work(n) in count threads released together; every outcome, errors included."""
    barrier = threading.Barrier(count)
    results: list[list[Any]] = [[] for _ in range(count)]

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=60)
            results[n] = work(n)
        except Exception as error:  # noqa: BLE001 - the assertions report it
            results[n] = [f"error: {error!r}"]

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=900)
    return [item for result in results for item in result]


@dataclass(frozen=True)
class Posted:
    status: int
    reply_id: int | None
    body: str
    answer: str


def _post_replies(site: Site, writer: int, count: int, deadline: float) -> list[Posted]:
    """A guest posting count replies, every third one an answer to their previous reply."""
    browser, token = _browser(site)
    outcomes: list[Posted] = []
    previous: int | None = None
    for n in range(count):
        if time.monotonic() > deadline:
            break
        body = f"Writer {writer} reply {n}"
        form = {"body": body, "name": f"Writer {writer}", "email": f"w{writer}@example.org"}
        if previous is not None and n % 3 == 0:
            form["parent_id"] = str(previous)
        try:
            answer = browser.post(
                site.server.url + "/t/busy/replies", data=form | {"csrf_token": token},
                headers={"Accept": "application/json"}, timeout=TIMEOUT,
            )  # fmt: skip
        except requests.RequestException as error:
            outcomes.append(Posted(0, None, body, type(error).__name__))
            time.sleep(0.25)  # the server is down: try again shortly, as a person would
            continue
        reply_id = answer.json().get("id") if answer.status_code == 201 else None
        outcomes.append(Posted(answer.status_code, reply_id, body, answer.text[:300]))
        previous = reply_id or previous
    return outcomes


def _check_stored_once_and_tree_consistent(site: Site, acknowledged: list[Posted]) -> None:
    stored = site.rows("SELECT id, body_source FROM reply")
    by_body: dict[str, list[int]] = {}
    for reply_id, body in stored:
        by_body.setdefault(body, []).append(reply_id)
    for posted in acknowledged:
        assert by_body.get(posted.body) == [posted.reply_id], posted
    replies = {
        row[0]: row[1:]
        for row in site.rows("SELECT id, post_id, parent_id, root_id, path FROM reply")
    }
    for reply_id, (post_id, parent_id, root_id, path) in replies.items():
        assert path.split("/")[-1].lstrip("0") == str(reply_id)
        if parent_id is None:
            assert root_id == reply_id and "/" not in path
        else:
            parent_post, _, parent_root, parent_path = replies[parent_id]
            assert (parent_post, parent_root) == (post_id, root_id)
            assert path == f"{parent_path}/{path.split('/')[-1]}"


@pytest.mark.timeout(900)
def test_eight_writers_posting_250_replies_each_lose_nothing_and_double_nothing(
    site: Site,
) -> None:
    deadline = time.monotonic() + 600  # bounded, whatever the machine's load

    outcomes = _at_once(lambda n: _post_replies(site, n, 250, deadline))

    errors = [o for o in outcomes if not isinstance(o, Posted) or o.status != 201]
    assert errors == []
    assert len(outcomes) == CLIENTS * 250
    _check_stored_once_and_tree_consistent(site, outcomes)
    assert not any("database is locked" in o.answer for o in outcomes)


def test_likes_clicked_at_once_count_each_liker_once(site: Site) -> None:
    [(reply_id,)] = site.rows("SELECT id FROM reply WHERE body_source = 'Like me, everyone.'")

    def click_like(n: int) -> list[int]:
        browser, token = _browser(site, f"member{n}@example.org")
        return [
            browser.post(
                f"{site.server.url}/replies/{reply_id}/like",
                data={"liked": "1", "csrf_token": token},
                headers={"Accept": "application/json"}, timeout=TIMEOUT,
            ).status_code  # fmt: skip
            for _ in range(10)  # an impatient reader clicking again and again
        ]

    statuses = _at_once(click_like)

    assert statuses == [200] * CLIENTS * 10
    assert site.rows(f'SELECT count(*) FROM "like" WHERE reply_id = {reply_id}') == [(CLIENTS,)]
    assert site.rows(f"SELECT like_count FROM reply WHERE id = {reply_id}") == [(CLIENTS,)]


def test_two_moderators_acting_on_the_same_replies_leave_one_decision_each(site: Site) -> None:
    held = [row[0] for row in site.rows("SELECT id FROM reply WHERE status = 'pending'")]
    assert len(held) == 20

    def decide(n: int) -> list[int]:
        browser, token = _browser(site, f"mod{n}@example.org")
        action = ("approve", "trash")[n]
        return [
            browser.post(
                site.server.url + "/mod/act",
                data={
                    "single": f"{action}:{reply_id}",
                    "seen": f"{reply_id}:pending",  # as the queue showed it to both
                    "csrf_token": token,
                    "reason": "race",
                },
                allow_redirects=False, timeout=TIMEOUT,
            ).status_code  # fmt: skip
            for reply_id in held
        ]

    statuses = _at_once(decide, count=2)

    assert set(statuses) <= {302, 303}, statuses
    entries = site.rows("SELECT action, target_ids FROM audit_entry WHERE reason = 'race'")
    decided: dict[int, list[str]] = {}
    for action, target_ids in entries:
        ids = target_ids if isinstance(target_ids, list) else __import__("json").loads(target_ids)
        for reply_id in ids:
            decided.setdefault(reply_id, []).append(action)
    assert sorted(decided) == sorted(held)
    statuses_now = dict(site.rows("SELECT id, status FROM reply WHERE body_source LIKE 'Held %'"))
    for reply_id, actions in decided.items():
        assert len(actions) == 1, (reply_id, actions)  # one decision, one audit entry
        assert statuses_now[reply_id] == {"approve": "approved", "trash": "trash"}[actions[0]]
