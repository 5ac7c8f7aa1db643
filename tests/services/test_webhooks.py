"""Webhooks: deliveries written with their events, signed, retried with backoff, then failed."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy import update

from forum.errors import InvalidInput
from forum.extensions import db
from forum.models import DeliveryStatus
from forum.models import FlagReason
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.models import Webhook
from forum.models import WebhookDelivery
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.services.moderation.actions import moderate
from forum.services.moderation.bans import BanRequest
from forum.services.moderation.bans import ban
from forum.services.moderation.branches import moderate_branch
from forum.services.moderation.flags import flag_reply
from forum.services.replying import post_reply
from forum.services.webhooks import endpoints
from forum.services.webhooks import events
from forum.services.webhooks.tasks import run_once
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules
from tests.webhook_receiver import Receiver
from tests.webhook_receiver import serve

pytestmark = pytest.mark.usefixtures("open_rules")


@pytest.fixture
def receiver(app: Flask) -> Iterator[Receiver]:
    yield from serve()


@pytest.fixture
def admin(app: Flask) -> User:
    return make_user(role=Role.ADMIN, display_name="Ada Admin")


def _hook(admin: User, receiver: Receiver, chosen: list[str] | None = None) -> Webhook:
    hook = endpoints.register(admin=admin, url=receiver.url, chosen=chosen or list(events.EVENTS))
    receiver.secret = hook.secret
    return hook


def _deliveries() -> list[WebhookDelivery]:
    query = select(WebhookDelivery).order_by(WebhookDelivery.id)
    return list(db.session.scalars(query.execution_options(populate_existing=True)))


def _make_due() -> None:
    """Skip the backoff wait, as if its minutes had passed."""
    db.session.execute(update(WebhookDelivery).values(next_attempt_at=utcnow()))
    db.session.commit()


def test_post_reply_delivery_is_signed_and_verified_by_receiver(
    admin: User, receiver: Receiver
) -> None:
    _hook(admin, receiver)
    reply = post_reply(
        actor=Actor(user=admin), post=make_post(), parent_id=None, body="Hello", guest=None
    )
    assert run_once() == 1
    (got,) = receiver.received
    assert got.signature_ok
    assert got.event == "reply.created"
    assert got.payload["data"]["reply"]["id"] == reply.id
    assert got.payload["data"]["reply"]["body"] == "Hello"
    (row,) = _deliveries()
    assert (row.status, row.last_status_code, row.attempts) == (DeliveryStatus.DELIVERED, 200, 1)
    assert str(row.id) == got.delivery


def test_receiver_with_wrong_secret_fails_signature_check(admin: User, receiver: Receiver) -> None:
    _hook(admin, receiver)
    receiver.secret = "not the secret"
    endpoints.ping(admin=admin, webhook_id=1)
    run_once()
    assert [r.signature_ok for r in receiver.received] == [False]


def test_delivery_answered_500_then_200_is_retried_and_delivered_once(
    admin: User, receiver: Receiver
) -> None:
    hook = _hook(admin, receiver)
    receiver.codes = [500]
    endpoints.ping(admin=admin, webhook_id=hook.id)
    assert run_once() == 0
    (row,) = _deliveries()
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.QUEUED, 1, 500)
    assert row.last_error == "answer 500"
    assert timedelta(seconds=55) < row.next_attempt_at - utcnow() <= timedelta(seconds=60)
    assert run_once() == 0  # not due yet: nothing is sent before the wait is over
    _make_due()
    assert run_once() == 1
    assert run_once() == 0
    (row,) = _deliveries()
    assert (row.status, row.attempts, row.last_status_code) == (DeliveryStatus.DELIVERED, 2, 200)
    assert len(receiver.received) == 2
    assert receiver.received[0].delivery == receiver.received[1].delivery
    assert all(r.signature_ok for r in receiver.received)


def test_receiver_down_is_retried_with_backoff_then_failed(app: Flask, admin: User) -> None:
    app.config["WEBHOOK_MAX_ATTEMPTS"] = 3
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]  # closed again: nothing listens there
    hook = endpoints.register(admin=admin, url=f"http://127.0.0.1:{port}/", chosen=["reply.held"])
    endpoints.ping(admin=admin, webhook_id=hook.id)
    waits = []
    for _ in range(3):
        run_once()
        (row,) = _deliveries()
        if row.status is DeliveryStatus.QUEUED:
            waits.append(round((row.next_attempt_at - utcnow()).total_seconds() / 60))
            _make_due()
    assert waits == [1, 2]
    assert row.status is DeliveryStatus.FAILED
    assert row.attempts == 3
    assert row.last_error is not None and row.last_error.startswith("Gave up after 3 attempts")
    assert "ConnectionError" in row.last_error


def test_emit_rolled_back_with_its_event_leaves_no_delivery(
    admin: User, receiver: Receiver
) -> None:
    _hook(admin, receiver)
    events.emit(events.REPLY_CREATED, {"reply": {"id": 1}})
    db.session.rollback()
    assert _deliveries() == []


def test_webhook_gets_only_the_events_it_chose(admin: User, receiver: Receiver) -> None:
    _hook(admin, receiver, chosen=["reply.held"])
    post_reply(actor=Actor(user=admin), post=make_post(), parent_id=None, body="Hi", guest=None)
    assert _deliveries() == []


def _events() -> list[str]:
    return [d.event for d in _deliveries()]


def test_each_event_kind_is_emitted_by_its_service(admin: User, receiver: Receiver) -> None:
    _hook(admin, receiver)
    post, member = make_post(), make_user()
    post_reply(actor=Actor(user=member), post=post, parent_id=None, body="Up", guest=None)
    set_rules(hold_all=True, flood_seconds=0)
    held = post_reply(actor=Actor(user=member), post=post, parent_id=None, body="Wait", guest=None)
    moderate(moderator=admin, reply_ids=[held.id], action="approve")
    moderate(moderator=admin, reply_ids=[held.id], action="spam")
    branch = make_reply(post)
    moderate_branch(moderator=admin, reply_id=branch.id, action="trash")
    reported = make_reply(post)
    flag_reply(actor=Actor(user=admin), reply_id=reported.id, reason=FlagReason.ABUSE, note="")
    ban(moderator=admin, request=BanRequest(user_id=member.id, remove_replies=True))
    assert _events() == [
        "reply.created",
        "reply.held",
        "reply.approved",
        "reply.removed",
        "reply.removed",
        "report.opened",
        "account.banned",
        "reply.removed",
    ]
    removed_by_ban = _deliveries()[-1].payload["data"]
    assert removed_by_ban["status"] == ReplyStatus.TRASH.value
    assert removed_by_ban["moderator"] == "Ada Admin"


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/hook",
        "https://10.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://user:pw@example.org/",
        "ftp://example.org/",
        "not a url",
    ],
)
def test_register_refuses_plain_http_and_private_addresses(
    app: Flask, admin: User, url: str
) -> None:
    app.config["WEBHOOK_ALLOW_HTTP_LOOPBACK"] = False
    app.config["OUTGOING_ALLOW"] = []
    with pytest.raises(InvalidInput) as refused:
        endpoints.register(admin=admin, url=url, chosen=["ping"])
    assert "url" in refused.value.errors


def test_register_refuses_loopback_when_setting_off(app: Flask, admin: User) -> None:
    app.config["WEBHOOK_ALLOW_HTTP_LOOPBACK"] = False
    with pytest.raises(InvalidInput):
        endpoints.register(admin=admin, url="http://127.0.0.1:9/", chosen=["reply.held"])


def test_loopback_webhook_is_not_sent_once_setting_turned_off(
    app: Flask, admin: User, receiver: Receiver
) -> None:
    hook = _hook(admin, receiver)
    endpoints.ping(admin=admin, webhook_id=hook.id)
    app.config["WEBHOOK_ALLOW_HTTP_LOOPBACK"] = False
    run_once()
    (row,) = _deliveries()
    assert row.status is DeliveryStatus.FAILED
    assert receiver.received == []


def test_redirect_answer_is_not_followed_and_retried(admin: User, receiver: Receiver) -> None:
    hook = _hook(admin, receiver)
    receiver.codes = [302]
    endpoints.ping(admin=admin, webhook_id=hook.id)
    run_once()
    (row,) = _deliveries()
    assert (row.status, row.last_status_code) == (DeliveryStatus.QUEUED, 302)
    assert len(receiver.received) == 1


def test_delivery_of_dead_worker_is_retried_after_lease(
    app: Flask, admin: User, receiver: Receiver
) -> None:
    from forum.services.webhooks import deliveries

    hook = _hook(admin, receiver)
    endpoints.ping(admin=admin, webhook_id=hook.id)
    assert deliveries.claim(1) is not None  # a worker took it and died
    assert run_once() == 0
    db.session.execute(update(WebhookDelivery).values(claimed_at=utcnow() - timedelta(seconds=121)))
    db.session.commit()
    assert run_once() == 1
    assert len(receiver.received) == 1
