"""Requests Porch makes to addresses others chose (webhooks): public addresses only.

A URL's host is resolved once, every address it has is checked, and the connection is made to
the checked address (the Host header and TLS name stay the host's), so a DNS answer that
changes between the check and the connection cannot point Porch at the inside of its network.
Redirects are followed only when asked, each one checked the same way. Loopback, private,
link-local, carrier-grade NAT, multicast, reserved and cloud metadata addresses are refused
unless PORCH_OUTGOING_ALLOW names a range that holds them.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin
from urllib.parse import urlsplit

import requests
from flask import current_app
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.connectionpool import HTTPSConnectionPool

from forum.i18n import _

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

# Not always "private" to the ipaddress module, yet never a place for Porch to call.
_NEVER = tuple(
    ipaddress.ip_network(n)
    for n in (
        "100.64.0.0/10",  # carrier-grade NAT
        "169.254.0.0/16",  # link-local, with the cloud metadata service at .169.254
        "fd00:ec2::254/128",  # AWS metadata over IPv6
        "64:ff9b:1::/48",  # local-use NAT64
    )
)
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


class Refused(Exception):
    """Porch will not call this URL; the message is fit to show an admin."""


@dataclass(frozen=True)
class Target:
    url: str
    host: str
    address: str  # the checked address the connection goes to


def allowed_networks(setting: object = None) -> list[Network]:
    """PORCH_OUTGOING_ALLOW as a list of networks ("127.0.0.1/32 10.1.0.0/16", or a list)."""
    value: Any = current_app.config["OUTGOING_ALLOW"] if setting is None else setting
    items: Iterable[Any] = value.replace(",", " ").split() if isinstance(value, str) else value
    return [ipaddress.ip_network(str(item).strip(), strict=False) for item in items or []]


def embedded_ipv4(address: Address) -> Address:
    """The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 IPv6 address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in _NAT64:
            return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address


def is_public(address: Address) -> bool:
    inner = embedded_ipv4(address)
    if any(inner in net for net in _NEVER if net.version == inner.version):
        return False
    return inner.is_global and not (inner.is_multicast or inner.is_reserved)


def address_allowed(address: Address, allow: list[Network]) -> bool:
    inner = embedded_ipv4(address)
    if any(a in net for a in {address, inner} for net in allow if net.version == a.version):
        return True
    return is_public(address)


def resolve(host: str, port: int) -> list[Address]:
    """Every address the name has now (an address literal is itself)."""
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError, ValueError) as error:  # ValueError: a NUL in the name
        raise Refused(_("The name %(host)s could not be found.", host=host)) from error
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]


def check(url: str, allow: list[Network]) -> Target:
    """The address to connect to for this URL, or Refused saying why not."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise Refused(_("Enter a full address such as https://example.org/hooks/porch.")) from error
    host = parts.hostname
    if not host or parts.scheme not in ("http", "https"):
        raise Refused(_("Enter a full address such as https://example.org/hooks/porch."))
    addresses = resolve(host, port)
    if not addresses:
        raise Refused(_("The name %(host)s could not be found.", host=host))
    for address in addresses:
        if not address_allowed(address, allow):
            raise Refused(
                _(
                    "%(host)s is a private or local address (%(address)s); Porch only calls "
                    "public servers unless PORCH_OUTGOING_ALLOW allows that range.",
                    host=host,
                    address=str(address),
                )
            )
    return Target(url=url, host=host, address=str(addresses[0]))


def request(
    method: str, url: str, *, allow: list[Network], max_redirects: int = 0, **kwargs: Any
) -> requests.Response:
    """Send to the checked address; 3xx answers are followed (checked again) up to the limit."""
    for _hop in range(max_redirects + 1):
        target = check(url, allow)
        response = _send(target, method, **kwargs)
        location = response.headers.get("Location")
        if response.status_code not in _REDIRECTS or not location or _hop == max_redirects:
            return response
        url = urljoin(url, location)
        if response.status_code == 303:
            method, kwargs = "GET", {k: v for k, v in kwargs.items() if k != "data"}
    return response


def _send(target: Target, method: str, **kwargs: Any) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False  # a proxy from the environment would do its own lookup
        adapter = _PinnedAdapter(target.address)
        session.mount("http://", adapter)
        session.mount("https://", adapter)
        return session.request(method, target.url, allow_redirects=False, **kwargs)


class _PinnedAdapter(HTTPAdapter):
    """Connects to one address whatever the URL's host resolves to by then."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(max_retries=0)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        address = self.address

        class Plain(HTTPConnection):
            def _new_conn(self) -> socket.socket:
                return _connect_to(self, address, super()._new_conn)

        class Secure(HTTPSConnection):
            def _new_conn(self) -> socket.socket:
                return _connect_to(self, address, super()._new_conn)

        class PlainPool(HTTPConnectionPool):
            ConnectionCls = Plain

        class SecurePool(HTTPSConnectionPool):
            ConnectionCls = Secure

        self.poolmanager.pool_classes_by_scheme = {"http": PlainPool, "https": SecurePool}


def _connect_to(
    connection: HTTPConnection, address: str, connect: Callable[[], socket.socket]
) -> socket.socket:
    """Open the socket to `address`, then restore the name: urllib3 reads Host and SNI there too."""
    name = connection._dns_host
    connection._dns_host = address
    try:
        return connect()
    finally:
        connection._dns_host = name
