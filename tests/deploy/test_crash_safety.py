"""SIGKILL in the middle of the work, then a restart: nothing acknowledged lost, nothing twice.

Real processes on 127.0.0.1 (gunicorn, `porch worker`) on a SQLite file, or on PostgreSQL in
`make test-pg`; each is killed with SIGKILL, as a crash or the OOM killer would.
"""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from bench import cluster
from forum.extensions import db
from forum.models import ImportRecord
from forum.models import Job
from forum.models import JobStatus
from forum.models import MailMessage
from forum.models import MailStatus
from forum.models import Reply
from forum.services.importing import start_job
from forum.services.mail import outbox
from tests.conftest import make_app
from tests.deploy.test_concurrency import CLIENTS
from tests.deploy.test_concurrency import Posted
from tests.deploy.test_concurrency import Site
from tests.deploy.test_concurrency import _at_once
from tests.deploy.test_concurrency import _check_stored_once_and_tree_consistent
from tests.deploy.test_concurrency import _database_url
from tests.deploy.test_concurrency import _post_replies
from tests.deploy.test_concurrency import site  # noqa: F401  (fixture)
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr
from tests.factories import make_user

LEASE = "2"  # seconds before a dead worker's claim on mail or a job may be taken over


@pytest.mark.timeout(600)
def test_server_killed_mid_posting_keeps_every_acknowledged_reply_once(site: Site) -> None:  # noqa: F811
    deadline = time.monotonic() + 300
    before = len(site.rows("SELECT id FROM reply"))

    def crash_when_busy() -> None:
        """SIGKILL to gunicorn and its workers once the load is well under way; restart."""
        while len(site.rows("SELECT id FROM reply")) < before + 120:
            if time.monotonic() > deadline:
                return
            time.sleep(0.2)
        site.server.kill()
        site.server.popen.wait(10)
        time.sleep(2)
        site.restart()

    crasher = threading.Thread(target=crash_when_busy)
    crasher.start()
    outcomes = _at_once(lambda n: _post_replies(site, n, 60, deadline))
    crasher.join()

    acknowledged = [o for o in outcomes if isinstance(o, Posted) and o.status == 201]
    failed = [o for o in outcomes if not isinstance(o, Posted) or o.status != 201]
    assert len(acknowledged) + len(failed) == CLIENTS * 60
    assert all(o.status in (0, 502, 503) for o in failed), failed[:3]  # refused while down
    assert acknowledged and failed  # the kill landed in the middle of the load
    _check_stored_once_and_tree_consistent(site, acknowledged)
    if site.database_url.startswith("sqlite"):
        with sqlite3.connect(site.database_url.removeprefix("sqlite:///")) as copy:
            assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    answer = __import__("requests").get(site.server.url + "/t/busy", timeout=30)
    assert answer.status_code == 200  # the restarted server serves the thread


@pytest.fixture
def worker_site(tmp_path: Path) -> Iterator[tuple[Flask, dict[str, str]]]:
    """A migrated database, the app on it in this process, and a worker's environment."""
    url = _database_url(tmp_path)
    settings = {
        "JOBS_QUEUE_FILE": str(tmp_path / "queue.sqlite3"),
        "IMPORT_DIR": str(tmp_path / "imports"),
        "MAIL_DIR": str(tmp_path / "mail"),
        "MAIL_LEASE_SECONDS": LEASE,
        "JOB_STALE_SECONDS": LEASE,
    }
    env = cluster.porch_env(url, **settings, WORKER_THREADS="1")
    cluster.flask(env, "db", "upgrade")
    app = make_app(DATABASE_URL=url, JOBS_IMMEDIATE=False, TESTING=False, **settings)
    with app.app_context():
        yield app, env
        db.session.remove()
        db.engine.dispose()
    make_app()  # tasks inline again for the tests that follow


def _wait(condition: Any, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _reply_count() -> int:
    db.session.rollback()
    return int(db.session.scalar(select(func.count(Reply.id))) or 0)


@pytest.mark.timeout(600)
def test_worker_killed_mid_import_resumes_and_imports_each_comment_once(
    worker_site: tuple[Flask, dict[str, str]], tmp_path: Path
) -> None:
    app, env = worker_site
    comments = [Comment(n, parent=n - 1 if n % 4 else 0) for n in range(1, 12_001)]
    export = tmp_path / "big.xml"
    export.write_text(wxr([Item(1, "Big", "big", comments=comments)]))
    with export.open("rb") as upload:
        job = start_job(
            admin=make_user(), kind="wordpress", upload=upload, filename="big.xml",
            import_dir=Path(app.config["IMPORT_DIR"]), with_pingbacks=False,
        )  # fmt: skip
    with cluster.cluster() as running:
        first = running.add(cluster.worker(env, tmp_path, name="worker-1"))
        _wait(lambda: _reply_count() > 0, 240, "the import to start")
        first.kill()  # SIGKILL, mid-import
        first.popen.wait(10)
        part = _reply_count()
        assert 0 < part < len(comments), "the kill should land mid-import"
        db.session.expire_all()
        assert db.session.get(Job, job.id).status is JobStatus.RUNNING  # type: ignore[union-attr]
        time.sleep(float(LEASE) + 0.5)  # its heartbeat goes stale
        running.add(cluster.worker(env, tmp_path, name="worker-2"))

        def finished() -> bool:
            db.session.expire_all()
            return bool(db.session.get(Job, job.id).finished)  # type: ignore[union-attr]

        _wait(finished, 300, "the resumed import to finish")
    db.session.expire_all()
    assert db.session.get(Job, job.id).status is JobStatus.DONE  # type: ignore[union-attr]
    assert _reply_count() == len(comments)
    records = db.session.scalars(
        select(ImportRecord.target_id).where(ImportRecord.kind == "comment")
    ).all()
    assert len(records) == len(set(records)) == len(comments)  # each comment became one reply


class StallingServer:
    """SMTP on 127.0.0.1 that hangs on the first message's recipient, then accepts all."""

    def __init__(self) -> None:
        self.stalled = threading.Event()
        self.received: list[bytes] = []

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if not self.stalled.is_set():
            self.stalled.set()
            await asyncio.sleep(120)  # the worker is killed while it waits here
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.received.append(envelope.content)
        return "250 Message accepted"


@pytest.mark.timeout(300)
def test_worker_killed_mid_send_delivers_every_message_once_after_restart(
    worker_site: tuple[Flask, dict[str, str]], tmp_path: Path
) -> None:
    app, env = worker_site
    handler = StallingServer()
    smtp = Controller(handler, hostname="127.0.0.1", port=cluster.free_port())
    smtp.start()
    env = {**env, "PORCH_SMTP_URL": f"smtp://127.0.0.1:{smtp.port}", "PORCH_SMTP_TIMEOUT": "60"}
    try:
        for n in range(5):
            outbox.queue_message(
                kind="guest_confirm", to=f"r{n}@example.org", data={"email": f"r{n}@example.org"}
            )
        db.session.commit()
        with cluster.cluster() as running:
            first = running.add(cluster.worker(env, tmp_path, name="mailer-1"))
            assert handler.stalled.wait(120), first.log_text()[-2000:]
            first.kill()  # SIGKILL while the server keeps it waiting
            first.popen.wait(10)
            time.sleep(float(LEASE) + 0.5)  # the dead worker's lease runs out
            second = running.add(cluster.worker(env, tmp_path, name="mailer-2"))

            def all_sent() -> bool:
                db.session.rollback()
                statuses = db.session.scalars(select(MailMessage.status)).all()
                return all(status is MailStatus.SENT for status in statuses)

            _wait(all_sent, 120, "every message to be sent: " + second.log_text()[-1000:])
    finally:
        smtp.stop()
    recipients = sorted(
        line.split(b":", 1)[1].strip().decode()
        for mail in handler.received
        for line in mail.splitlines()
        if line.startswith(b"To:")
    )
    assert recipients == [f"r{n}@example.org" for n in range(5)]  # each once, none lost
