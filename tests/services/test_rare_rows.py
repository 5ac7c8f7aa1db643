"""Staff names, bans and webhooks are remembered between posts, and every change to them counts
at once: made by this process or by another writer (another app server, a script), which the
tests play with Core statements on the connection, unseen by the ORM's hooks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import event
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.extensions import db
from forum.models import Ban
from forum.models import Post
from forum.models import Role
from forum.models import Setting
from forum.models import User
from forum.models import Webhook
from forum.models import WebhookDelivery
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.services import rare_rows
from forum.services.exporting.json_export import iter_export
from forum.services.moderation import bans
from forum.services.replying import GuestDetails
from forum.services.replying import post_reply
from tests.factories import make_post
from tests.factories import make_user
from tests.factories import set_rules

_guests = iter(range(1_000_000))


@pytest.fixture
def post(app: Flask) -> Post:
    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01)
    make_user(role=Role.ADMIN, display_name="Morgan")  # staff: the rows get a version
    return make_post()


def _post_as(post: Post, name: str = "Ada", email: str | None = None) -> None:
    n = next(_guests)
    post_reply(
        actor=Actor(guest_token=f"browser-{n}", ip_address="192.0.2.7"),
        post=post,
        parent_id=None,
        body=f"Reply number {n}",
        guest=GuestDetails(name=name, email=email or f"guest{n}@example.org", url=None),
    )


def _as_another_writer(statement: Any) -> None:
    db.session.connection().execute(statement)
    db.session.commit()


def _tables_read(post: Post, **guest: Any) -> set[str]:
    read: list[str] = []
    record = lambda *args: read.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        _post_as(post, **guest)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    words = {"ban": "FROM ban", "webhook": "FROM webhook", "user": 'FROM "user"'}
    return {table for table, phrase in words.items() if any(phrase in sql for sql in read)}


def test_a_second_post_reads_no_staff_ban_or_webhook_row(post: Post) -> None:
    _post_as(post)
    assert _tables_read(post) == set()


def test_a_ban_another_writer_stores_refuses_the_very_next_post(post: Post) -> None:
    _post_as(post, email="spammer@example.org")
    _as_another_writer(
        insert(Ban).values(email="spammer@example.org", reason="Spam", created_at=utcnow())
    )
    with pytest.raises(Forbidden, match="Spam"):
        _post_as(post, email="spammer@example.org")


def test_a_ban_another_writer_lifts_lets_the_very_next_post_in(post: Post) -> None:
    db.session.add(Ban(email="ex@example.org", reason="Spam"))
    db.session.commit()
    with pytest.raises(Forbidden):
        _post_as(post, email="ex@example.org")
    _as_another_writer(update(Ban).values(lifted_at=utcnow()))
    _post_as(post, email="ex@example.org")


def test_a_ban_runs_out_with_time_alone(post: Post, monkeypatch: pytest.MonkeyPatch) -> None:
    db.session.add(Ban(email="brief@example.org", expires_at=utcnow() + timedelta(hours=1)))
    db.session.commit()
    with pytest.raises(Forbidden):
        _post_as(post, email="brief@example.org")
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr(bans, "utcnow", lambda: later)
    _post_as(post, email="brief@example.org")  # no write in between: nothing new to hear


def test_a_ban_made_in_the_same_transaction_counts_before_its_commit(post: Post) -> None:
    _post_as(post, email="now@example.org")
    db.session.add(Ban(email="now@example.org", reason="Now"))
    db.session.flush()
    assert bans.active_ban(user=None, email="now@example.org", ip=None) is not None


def test_a_moderator_renamed_by_another_writer_is_protected_at_once(post: Post) -> None:
    _post_as(post, name="Robin")
    _as_another_writer(
        update(User).where(User.display_name == "Morgan").values(display_name="Robin")
    )
    with pytest.raises(InvalidInput):
        _post_as(post, name="Robin")


def test_a_member_made_moderator_by_another_writer_is_protected_at_once(post: Post) -> None:
    member = make_user(display_name="Sasha")
    _post_as(post, name="Sasha")
    _as_another_writer(update(User).where(User.id == member.id).values(role=Role.MODERATOR))
    with pytest.raises(InvalidInput):
        _post_as(post, name="Sasha")


def test_a_webhook_another_writer_adds_is_sent_the_next_post(post: Post) -> None:
    _post_as(post)
    _as_another_writer(
        insert(Webhook).values(
            url="https://hooks.example.org/in",
            secret="s" * 32,
            events=["reply.created"],
            active=True,
            created_at=utcnow(),
        )
    )
    _post_as(post)
    assert db.session.scalars(select(WebhookDelivery.event)).all() == ["reply.created"]
    _as_another_writer(update(Webhook).values(active=False))
    _post_as(post)
    assert db.session.scalars(select(WebhookDelivery.event)).all() == ["reply.created"]


def test_the_version_is_working_state_left_out_of_the_export(post: Post) -> None:
    assert db.session.get(Setting, rare_rows.VERSION_KEY) is not None
    exported = "".join(iter_export(db.engine))
    assert rare_rows.VERSION_KEY not in exported
