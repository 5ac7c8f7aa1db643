"""The admin Webhooks page: admins only, add with errors kept, ping, deliveries, delete."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Role
from forum.models import Webhook
from forum.models import WebhookDelivery
from forum.services.webhooks import endpoints
from tests.factories import make_user
from tests.webhook_receiver import Receiver
from tests.webhook_receiver import serve

BASE = "/mod/settings/webhooks"
GETS = [BASE, BASE + "/{hook}"]
POSTS = [
    (BASE, {"url": "http://127.0.0.1:9/", "events": "reply.held"}),
    (BASE + "/{hook}/ping", {}),
    (BASE + "/{hook}/delete", {}),
]


@pytest.fixture
def receiver(app: Flask) -> Iterator[Receiver]:
    yield from serve()


@pytest.fixture
def hook_id(app: Flask, receiver: Receiver) -> int:
    admin = make_user(role=Role.ADMIN)
    hook = endpoints.register(admin=admin, url=receiver.url, chosen=["reply.created"])
    receiver.secret = hook.secret
    return hook.id


def _count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MODERATOR])
@pytest.mark.parametrize("path", GETS)
def test_non_admin_cannot_see_webhook_pages(
    client: FlaskClient, login: Any, hook_id: int, role: Role | None, path: str
) -> None:
    if role is not None:
        login(make_user(role=role))
    response = client.get(path.format(hook=hook_id))
    assert response.status_code == (302 if role is None else 403)


@pytest.mark.parametrize("role", [None, Role.MEMBER, Role.MODERATOR])
@pytest.mark.parametrize(("path", "data"), POSTS)
def test_non_admin_post_gets_403_and_changes_nothing(
    client: FlaskClient,
    login: Any,
    hook_id: int,
    receiver: Receiver,
    role: Role | None,
    path: str,
    data: dict[str, str],
) -> None:
    if role is not None:
        login(make_user(role=role))
    assert client.post(path.format(hook=hook_id), data=data).status_code == 403
    assert (_count(Webhook), _count(WebhookDelivery), receiver.received) == (1, 0, [])


def test_admin_adds_webhook_and_sees_its_secret(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN))
    response = client.post(
        BASE, data={"url": "http://127.0.0.1:8/in", "events": ["reply.created", "report.opened"]}
    )
    assert response.status_code == 303
    hook = db.session.scalars(select(Webhook)).one()
    assert hook.events == ["reply.created", "report.opened"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert hook.secret in page and "Nothing sent yet" in page
    assert "http://127.0.0.1:8/in" in client.get(BASE).get_data(as_text=True)


def test_admin_add_with_bad_url_keeps_input_and_says_why(
    app: Flask, client: FlaskClient, login: Any
) -> None:
    app.config["WEBHOOK_ALLOW_HTTP_LOOPBACK"] = False
    login(make_user(role=Role.ADMIN))
    response = client.post(BASE, data={"url": "http://127.0.0.1:8/in", "events": "reply.held"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "must start with https://" in page
    assert 'value="http://127.0.0.1:8/in"' in page
    assert _count(Webhook) == 0


def test_admin_add_without_events_is_refused(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN))
    response = client.post(BASE, data={"url": "http://127.0.0.1:8/in"})
    assert response.status_code == 400
    assert "Choose at least one" in response.get_data(as_text=True)


def test_admin_ping_is_delivered_and_answer_shown(
    client: FlaskClient, login: Any, hook_id: int, receiver: Receiver
) -> None:
    login(make_user(role=Role.ADMIN))
    receiver.codes = [500]
    response = client.post(f"{BASE}/{hook_id}/ping", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Test ping queued" in page
    assert "HTTP 500" in page and "answer 500" in page and "queued" in page
    assert [r.event for r in receiver.received] == ["ping"]
    assert receiver.received[0].signature_ok


def test_admin_deletes_webhook_with_its_deliveries(
    client: FlaskClient, login: Any, hook_id: int
) -> None:
    login(make_user(role=Role.ADMIN))
    client.post(f"{BASE}/{hook_id}/ping")
    response = client.post(f"{BASE}/{hook_id}/delete", follow_redirects=True)
    assert "Webhook deleted" in response.get_data(as_text=True)
    assert (_count(Webhook), _count(WebhookDelivery)) == (0, 0)
    assert client.get(f"{BASE}/{hook_id}").status_code == 404


def test_reply_posted_on_the_site_reaches_the_receiver(
    client: FlaskClient, login: Any, hook_id: int, receiver: Receiver, open_rules: None
) -> None:
    from tests.factories import make_post

    post = make_post()
    login(make_user())
    client.post(f"/t/{post.slug}/replies", data={"body": "From the web"})
    assert [(r.event, r.signature_ok) for r in receiver.received] == [("reply.created", True)]
