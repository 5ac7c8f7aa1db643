"""Which webhook URLs Porch may call: HTTPS to public addresses (loopback only when allowed).

Checked when a webhook is registered and again before each delivery. A full SSRF guard
(pinning the resolved address for the connection) is issue 15's work.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from forum.i18n import _

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def refusal(url: str, *, allow_http_loopback: bool) -> str | None:
    """Why Porch will not call this URL, or None when it may."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return _("Enter a full address such as https://example.org/hooks/porch.")
    if not host or parts.scheme not in ("http", "https"):
        return _("Enter a full address such as https://example.org/hooks/porch.")
    if parts.username or parts.password:
        return _("Leave user names and passwords out of the address; the secret signs deliveries.")
    loopback_ok = allow_http_loopback and host.lower() in LOOPBACK_NAMES
    if parts.scheme != "https" and not loopback_ok:
        return _("Webhook addresses must start with https://.")
    return _address_refusal(host, parts.port, loopback_ok=loopback_ok)


def _address_refusal(host: str, port: int | None, *, loopback_ok: bool) -> str | None:
    try:
        found = socket.getaddrinfo(host, port or 443, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError):
        return _("The name %(host)s could not be found.", host=host)
    for *_rest, sockaddr in found:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address.is_loopback and loopback_ok:
            continue
        if not address.is_global or address.is_multicast:
            return _(
                "%(host)s is a private or local address; webhooks go to public servers only.",
                host=host,
            )
    return None
