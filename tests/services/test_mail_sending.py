"""The worker against a real SMTP server on 127.0.0.1: retries, refusals, drops, exactly once."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes
from email import policy
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask
from sqlalchemy import select
from sqlalchemy import update

from forum.extensions import db
from forum.mail import plain_text
from forum.mail import read_outbox
from forum.mail import worker
from forum.models import MailAddress
from forum.models import MailMessage
from forum.models import MailStatus
from forum.models.base import utcnow
from forum.services.mail import outbox
from tests.conftest import EXTERNAL_DATABASE_URL
from tests.conftest import database_for
from tests.conftest import make_app


class ScriptedServer:
    """An aiosmtpd handler answering each DATA as scripted: accept, 451, 554, or drop."""

    def __init__(self) -> None:
        self.script: list[str] = []
        self.refuse: set[str] = set()
        self.received: list[Any] = []

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        action = self.script.pop(0) if self.script else "accept"
        if action == "drop":
            server.transport.close()  # the connection dies before the server answers
            return "250 never heard"
        if action != "accept":
            return action
        self.received.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp(app: Flask) -> Iterator[ScriptedServer]:
    handler = ScriptedServer()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    app.config["SMTP_URL"] = f"smtp://127.0.0.1:{controller.port}"
    app.config["SMTP_TIMEOUT"] = 5
    try:
        yield handler
    finally:
        controller.stop()


def _queue(count: int, to: str = "reader@example.org", kind: str = "guest_confirm") -> list[int]:
    rows = [outbox.queue_message(kind=kind, to=to, data={"email": to}) for _ in range(count)]
    db.session.commit()
    return [row.id for row in rows]


def _time_passes() -> None:
    """Every retry is due now (instead of waiting out the backoff)."""
    db.session.execute(update(MailMessage).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def _statuses() -> list[MailStatus]:
    return list(db.session.scalars(select(MailMessage.status).order_by(MailMessage.id)))


def _received_ids(server: ScriptedServer) -> list[str]:
    return [str(mail["Message-ID"]) for mail in server.received]


def test_deliver_server_refuses_4xx_then_accepts_delivers_once(smtp: ScriptedServer) -> None:
    smtp.script = ["451 4.3.0 Try again later"]
    [message_id] = _queue(1)
    assert worker.deliver_due() == 0
    row = db.session.get(MailMessage, message_id, populate_existing=True)
    assert row is not None and row.status is MailStatus.QUEUED and row.error.startswith("451")
    assert row.next_attempt_at > utcnow()  # backoff: not retried at once
    assert worker.deliver_due() == 0
    _time_passes()
    assert worker.deliver_due() == 1
    assert _statuses() == [MailStatus.SENT]
    assert _received_ids(smtp) == [row.message_id]


def test_deliver_server_answers_5xx_gives_up_with_reason(smtp: ScriptedServer) -> None:
    smtp.script = ["554 5.6.0 Message refused"]
    [message_id] = _queue(1)
    worker.deliver_due()
    _time_passes()
    worker.deliver_due()
    row = db.session.get(MailMessage, message_id, populate_existing=True)
    assert row is not None and row.status is MailStatus.FAILED
    assert "554 5.6.0 Message refused" in (row.error or "")
    assert smtp.received == []


def test_deliver_connection_dropped_mid_send_delivers_once(smtp: ScriptedServer) -> None:
    smtp.script = ["drop", "accept", "drop"]
    ids = _queue(3)
    worker.deliver_due()
    for _ in range(3):
        _time_passes()
        worker.deliver_due()
    assert _statuses() == [MailStatus.SENT] * 3
    sent = [db.session.get(MailMessage, i).message_id for i in ids]  # type: ignore[union-attr]
    assert sorted(_received_ids(smtp)) == sorted(sent)


def test_deliver_worker_died_mid_send_is_retried_after_lease(
    smtp: ScriptedServer, app: Flask
) -> None:
    [message_id] = _queue(1)
    assert outbox.claim(message_id) is not None  # a worker took it, then its process was killed
    assert worker.deliver_due() == 0  # the lease still holds
    stale = utcnow() - timedelta(seconds=app.config["MAIL_LEASE_SECONDS"] + 1)
    db.session.execute(update(MailMessage).values(claimed_at=stale))
    db.session.commit()
    assert worker.deliver_due() == 1
    assert worker.deliver_due() == 0
    assert len(smtp.received) == 1 and _statuses() == [MailStatus.SENT]


def test_deliver_recipient_refused_three_times_marks_address_bouncing(
    smtp: ScriptedServer,
) -> None:
    smtp.refuse = {"gone@example.org"}
    _queue(4, to="gone@example.org", kind="mod_digest")  # not a confirmation: those always go
    worker.deliver_due()
    address = db.session.get(MailAddress, "gone@example.org", populate_existing=True)
    assert address is not None and address.hard_failures == 3 and address.bouncing_at
    assert _statuses() == [MailStatus.FAILED] * 3 + [MailStatus.SKIPPED]
    assert smtp.received == []


def test_deliver_message_has_text_html_and_message_id(smtp: ScriptedServer) -> None:
    [message_id] = _queue(1)
    worker.deliver_due()
    [mail] = smtp.received
    assert mail.get_body(preferencelist=("html",)) is not None
    assert "/account/confirm-email/" in plain_text(mail)
    assert str(mail["Message-ID"]).endswith("@localhost>")


def test_deliver_without_smtp_writes_eml_files(app: Flask, tmp_path: Path) -> None:
    app.config["MAIL_DIR"] = str(tmp_path)
    _queue(2)
    assert worker.deliver_due() == 2
    assert [mail["To"] for mail in read_outbox(tmp_path)] == ["reader@example.org"] * 2


def _worker(app: Flask, delivered: list[int]) -> None:
    with app.app_context():
        delivered.append(worker.deliver_due())
        db.session.remove()


def test_deliver_two_workers_one_outbox_sends_each_once(tmp_path: Path) -> None:
    url = EXTERNAL_DATABASE_URL or f"sqlite:///{tmp_path / 'two.sqlite3'}"
    app = make_app(DATABASE_URL=url, MAIL_DIR=str(tmp_path / "mail"))
    with database_for(app):
        _queue(40)
        db.session.remove()
        delivered: list[int] = []
        threads = [threading.Thread(target=_worker, args=(app, delivered)) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        mails = read_outbox(tmp_path / "mail")
        assert sum(delivered) == 40 and len(mails) == 40
        assert len({str(mail["Message-ID"]) for mail in mails}) == 40
        assert _statuses() == [MailStatus.SENT] * 40


def test_bouncing_address_confirmed_again_gets_mail_again(
    smtp: ScriptedServer, client: Any, login: Any
) -> None:
    from datetime import UTC
    from datetime import datetime

    from forum.models import Role
    from forum.services import accounts
    from tests.factories import make_user

    smtp.refuse = {"gone@example.org"}
    _queue(3, to="gone@example.org", kind="mod_digest")
    worker.deliver_due()
    login(make_user(role=Role.MODERATOR, email_verified_at=datetime.now(UTC)))
    page = client.get("/mod/mail/").get_data(as_text=True)
    assert "gone@example.org" in page and "550 5.1.1 No such mailbox here" in page
    smtp.refuse = set()
    accounts.confirm_guest_email("gone@example.org")
    _queue(1, to="gone@example.org", kind="mod_digest")
    assert worker.deliver_due() == 1
    assert "gone@example.org" not in client.get("/mod/mail/").get_data(as_text=True)
