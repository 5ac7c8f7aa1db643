"""Two moderators deciding on the same reply: the first decision stands, the second is told."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import AuditEntry
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from tests.conftest import login_on
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


def _moderator_client(app: Flask, name: str) -> object:
    client = app.test_client()
    login_on(client, make_user(display_name=name, email=f"{name}@example.org", role=Role.MODERATOR))
    return client


def test_second_moderator_acting_on_what_they_saw_leaves_the_first_decision(app: Flask) -> None:
    reply = make_reply(make_post(), status=ReplyStatus.PENDING)
    first, second = _moderator_client(app, "ana"), _moderator_client(app, "bo")
    seen = f"{reply.id}:pending"  # both queues showed it held

    first.post("/mod/act", data={"single": f"approve:{reply.id}", "seen": seen})
    answer = second.post(
        "/mod/act",
        data={"single": f"trash:{reply.id}", "seen": seen},
        headers={"Accept": "application/json"},
    )

    assert answer.get_json()["changed"] == [] and answer.get_json()["skipped"] == 1
    assert "changed meanwhile" in answer.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).status is ReplyStatus.APPROVED  # type: ignore[union-attr]
    assert [e.action.value for e in db.session.scalars(select(AuditEntry))] == ["approve"]


def test_moderator_acting_on_a_reply_seen_in_the_trash_can_restore_it(app: Flask) -> None:
    reply = make_reply(make_post(), status=ReplyStatus.TRASH)
    moderator = _moderator_client(app, "ana")

    moderator.post("/mod/act", data={"single": f"approve:{reply.id}", "seen": f"{reply.id}:trash"})

    db.session.expire_all()
    assert db.session.get(Reply, reply.id).status is ReplyStatus.APPROVED  # type: ignore[union-attr]


def test_malformed_seen_values_are_ignored_not_an_error(app: Flask) -> None:
    reply = make_reply(make_post(), status=ReplyStatus.PENDING)
    moderator = _moderator_client(app, "ana")

    answer = moderator.post(
        "/mod/act",
        data={"single": f"approve:{reply.id}", "seen": ["x:y", f"{reply.id}:nonsense", ":"]},
    )

    assert answer.status_code == 303
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).status is ReplyStatus.APPROVED  # type: ignore[union-attr]
