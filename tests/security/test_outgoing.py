"""Outgoing requests (webhooks) reach public addresses only: after DNS, pinned, on redirects."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.errors import InvalidInput
from forum.extensions import db
from forum.models import DeliveryStatus
from forum.models import Role
from forum.models import User
from forum.models import Webhook
from forum.models import WebhookDelivery
from forum.security import outgoing
from forum.services.webhooks import endpoints
from forum.services.webhooks.tasks import run_once
from tests.factories import make_user
from tests.webhook_receiver import Receiver
from tests.webhook_receiver import serve

REFUSED_ADDRESSES = [
    "127.0.0.1",  # loopback
    "127.8.9.10",
    "0.0.0.0",  # "this host"
    "10.1.2.3",  # private
    "172.16.0.1",
    "192.168.1.1",
    "169.254.169.254",  # link-local: the cloud metadata service
    "100.64.0.1",  # carrier-grade NAT
    "224.0.0.1",  # multicast
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "192.0.2.1",  # documentation
    "[::1]",
    "[::]",
    "[fc00::1]",  # unique local
    "[fd00:ec2::254]",  # AWS metadata over IPv6
    "[fe80::1]",  # link-local
    "[ff02::1]",  # multicast
    "[ff0e::1]",  # global-scope multicast
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[::ffff:169.254.169.254]",
    "[::ffff:10.0.0.1]",
    "[64:ff9b::a00:1]",  # NAT64 of 10.0.0.1
]


# What the test receiver reads from every request (it checks webhook signatures).
SIGNED = {"X-Porch-Event": "ping", "X-Porch-Delivery": "1", "X-Porch-Timestamp": "1"}


@pytest.fixture
def no_allowance(app: Flask) -> None:
    app.config["OUTGOING_ALLOW"] = []


@pytest.mark.usefixtures("no_allowance")
@pytest.mark.parametrize("host", REFUSED_ADDRESSES)
def test_every_non_public_address_class_is_refused(host: str) -> None:
    with pytest.raises(outgoing.Refused, match="private or local address"):
        outgoing.check(f"https://{host}/hook", outgoing.allowed_networks())


@pytest.mark.usefixtures("no_allowance")
@pytest.mark.parametrize("host", ["93.184.216.34", "[2606:2800:220:1::]"])
def test_public_addresses_pass_the_check(host: str) -> None:
    target = outgoing.check(f"https://{host}/hook", outgoing.allowed_networks())
    assert ipaddress.ip_address(target.address).is_global


def _fake_dns(monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> list[str]:
    """Names in `answers` resolve to the next list given for them; others resolve for real."""
    real = socket.getaddrinfo
    asked: list[str] = []

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in answers:
            return real(host, port, *args, **kwargs)
        asked.append(host)
        addresses = answers[host] if len(answers[host]) == 1 else [answers[host].pop(0)]
        return [
            (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (a, port or 0))
            for a in addresses
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return asked


@pytest.mark.usefixtures("no_allowance")
def test_name_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _fake_dns(monkeypatch, {"hooks.example.com": ["10.9.8.7"]})
    with pytest.raises(outgoing.Refused, match=r"hooks\.example\.com .*10\.9\.8\.7"):
        outgoing.check("https://hooks.example.com/in", [])


@pytest.mark.usefixtures("no_allowance")
def test_name_with_one_private_address_among_public_ones_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = socket.getaddrinfo

    def two_answers(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host != "mixed.example.com":
            return real(host, port, *args, **kwargs)
        info = (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "")
        return [(*info, ("93.184.216.34", port)), (*info, ("169.254.169.254", port))]

    monkeypatch.setattr(socket, "getaddrinfo", two_answers)
    with pytest.raises(outgoing.Refused):
        outgoing.check("https://mixed.example.com/in", [])


def test_allowed_range_lets_its_addresses_through(app: Flask) -> None:
    app.config["OUTGOING_ALLOW"] = "127.0.0.1/32, 10.20.0.0/16"
    allow = outgoing.allowed_networks()
    assert outgoing.check("http://10.20.3.4/hook", allow).address == "10.20.3.4"
    assert outgoing.check("http://[::ffff:10.20.3.4]/hook", allow).address == "::ffff:a14:304"
    with pytest.raises(outgoing.Refused):
        outgoing.check("http://10.21.0.1/hook", allow)
    with pytest.raises(outgoing.Refused):
        outgoing.check("http://127.0.0.2/hook", allow)


@pytest.fixture
def receiver(app: Flask) -> Iterator[Receiver]:
    yield from serve()


def test_connection_goes_to_the_checked_address_when_dns_changes(
    monkeypatch: pytest.MonkeyPatch, receiver: Receiver
) -> None:
    """DNS rebinding: the second answer (127.0.0.2, where nothing listens) is never used."""
    port = receiver.server.server_address[1]
    asked = _fake_dns(monkeypatch, {"rebind.example.com": ["127.0.0.1", "127.0.0.2"]})
    allow = outgoing.allowed_networks("127.0.0.1/32")
    response = outgoing.request(
        "POST",
        f"http://rebind.example.com:{port}/hook",
        allow=allow,
        data=b"{}",
        headers=SIGNED,
        timeout=5,
    )
    assert response.status_code == 200
    assert asked == ["rebind.example.com"]  # resolved once, for the check
    assert len(receiver.received) == 1


@pytest.mark.parametrize(
    "location",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://127.0.0.2/",
        "http://[::ffff:10.0.0.1]:9/",
        "http://inside.example.com/admin",
    ],
)
def test_redirect_to_a_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, receiver: Receiver, location: str
) -> None:
    _fake_dns(monkeypatch, {"inside.example.com": ["10.0.0.5"]})
    receiver.codes, receiver.location = [307], location
    allow = outgoing.allowed_networks("127.0.0.1/32")
    with pytest.raises(outgoing.Refused, match="private or local"):
        outgoing.request(
            "POST", receiver.url, allow=allow, data=b"{}", headers=SIGNED, max_redirects=3
        )
    assert len(receiver.received) == 1  # only the first, allowed hop was sent


def test_redirect_within_the_allowed_range_is_followed(receiver: Receiver) -> None:
    receiver.codes, receiver.location = [307], receiver.url + "/again"
    allow = outgoing.allowed_networks("127.0.0.1/32")
    response = outgoing.request(
        "POST", receiver.url, allow=allow, data=b"{}", headers=SIGNED, max_redirects=3
    )
    assert response.status_code == 200 and len(receiver.received) == 2


# Webhooks: registration and delivery use the guard.


@pytest.fixture
def admin(app: Flask) -> User:
    return make_user(role=Role.ADMIN)


@pytest.mark.usefixtures("no_allowance")
def test_registering_a_name_that_resolves_inside_says_it_is_private(
    monkeypatch: pytest.MonkeyPatch, admin: User
) -> None:
    _fake_dns(monkeypatch, {"intranet.example.com": ["192.168.0.10"]})
    with pytest.raises(InvalidInput) as refused:
        endpoints.register(admin=admin, url="https://intranet.example.com/h", chosen=["reply.held"])
    assert "private or local address" in refused.value.errors["url"][0]


@pytest.mark.usefixtures("no_allowance")
def test_admin_page_shows_why_a_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, client: FlaskClient, login: Callable[[User], User], admin: User
) -> None:
    _fake_dns(monkeypatch, {"intranet.example.com": ["192.168.0.10"]})
    login(admin)
    data = {"url": "https://intranet.example.com/h", "events": "reply.held"}
    response = client.post("/mod/settings/webhooks", data=data)
    assert response.status_code == 400
    assert "private or local address" in response.get_data(as_text=True)
    assert db.session.scalars(select(Webhook)).all() == []


def _only_delivery() -> WebhookDelivery:
    db.session.expire_all()
    return db.session.scalars(select(WebhookDelivery)).one()


def test_delivery_to_a_name_that_now_resolves_inside_fails_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, app: Flask, admin: User
) -> None:
    app.config["OUTGOING_ALLOW"] = []
    _fake_dns(monkeypatch, {"hooks.example.com": ["93.184.216.34", "169.254.169.254"]})
    hook = endpoints.register(admin=admin, url="https://hooks.example.com/h", chosen=["reply.held"])
    endpoints.ping(admin=admin, webhook_id=hook.id)
    run_once()
    row = _only_delivery()
    assert row.status is DeliveryStatus.FAILED
    assert row.last_error is not None and "private or local address" in row.last_error


def test_loopback_delivery_fails_once_the_allowance_is_removed(
    app: Flask, admin: User, receiver: Receiver
) -> None:
    hook = endpoints.register(admin=admin, url=receiver.url, chosen=["reply.held"])
    endpoints.ping(admin=admin, webhook_id=hook.id)
    app.config["OUTGOING_ALLOW"] = []
    run_once()
    row = _only_delivery()
    assert row.status is DeliveryStatus.FAILED
    assert row.last_error is not None and "127.0.0.1" in row.last_error
    assert receiver.received == []


def test_loopback_delivery_in_the_allowed_range_is_delivered(
    admin: User, receiver: Receiver
) -> None:
    hook = endpoints.register(admin=admin, url=receiver.url, chosen=["reply.held"])
    receiver.secret = hook.secret
    endpoints.ping(admin=admin, webhook_id=hook.id)
    run_once()
    assert _only_delivery().status is DeliveryStatus.DELIVERED
    assert [r.signature_ok for r in receiver.received] == [True]
