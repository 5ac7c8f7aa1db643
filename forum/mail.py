"""Outgoing email, through one function. Until an SMTP relay is configured, messages are files.

Writing .eml files to MAIL_DIR (default instance/mail/) lets a site run with no mail server and
lets tests read exactly what would have been sent.
"""

from __future__ import annotations

import logging
import smtplib
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from flask import current_app

from forum.models.base import utcnow

log = logging.getLogger(__name__)


def send_mail(*, to: str, subject: str, body: str) -> None:
    """Send a plain-text message to one address."""
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    smtp_url = current_app.config["SMTP_URL"]
    if smtp_url:
        _send_smtp(smtp_url, message)
    else:
        _write_file(Path(current_app.config["MAIL_DIR"]), message)


def _write_file(folder: Path, message: EmailMessage) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    path = folder / f"{stamp}-{abs(hash(message['To'])) % 10_000:04d}.eml"
    path.write_bytes(bytes(message))
    log.info("mail to %s written to %s", message["To"], path)


def _send_smtp(url: str, message: EmailMessage) -> None:
    """smtp://user:password@host:port (STARTTLS when offered), or smtps:// for implicit TLS."""
    parts = urlsplit(url)
    client_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    with client_class(parts.hostname or "localhost", parts.port or 0, timeout=15) as client:
        if parts.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls()
        if parts.username:
            client.login(parts.username, parts.password or "")
        client.send_message(message)


def read_outbox(folder: Path) -> list[EmailMessage]:
    """Messages written so far, oldest first (for tests and for trying the site locally)."""
    from email import policy
    from email.parser import BytesParser

    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]
