"""Which webhook URLs Porch may call: HTTPS to public addresses (forum.security.outgoing).

Checked when a webhook is registered and again at each delivery, where the connection is then
made to the address that was checked. Plain http:// is for loopback receivers in development.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from forum.i18n import _
from forum.security import outgoing

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def refusal(url: str, *, allow_http_loopback: bool) -> str | None:
    """Why Porch will not call this URL, or None when it may."""
    try:
        parts = urlsplit(url.strip())
        host = parts.hostname
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return str(_("Enter a full address such as https://example.org/hooks/porch."))
    if not host or parts.scheme not in ("http", "https"):
        return str(_("Enter a full address such as https://example.org/hooks/porch."))
    if parts.username or parts.password:
        return str(
            _("Leave user names and passwords out of the address; the secret signs deliveries.")
        )
    loopback_ok = allow_http_loopback and host.lower() in LOOPBACK_NAMES
    if parts.scheme != "https" and not loopback_ok:
        return str(_("Webhook addresses must start with https://."))
    try:
        outgoing.check(url.strip(), outgoing.allowed_networks())
    except outgoing.Refused as refused:
        return str(refused)
    return None
