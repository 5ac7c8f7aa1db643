"""Handing one message to SMTP (PORCH_SMTP_URL) or writing it as a .eml file, with the outcome."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

from forum.models.base import utcnow

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    permanent: bool = False  # a 5xx: retrying will not help
    bounce: bool = False  # the server refused the recipient or the message at once
    reason: str = ""


DELIVERED = Outcome(delivered=True)


def send(message: EmailMessage, *, smtp_url: str | None, mail_dir: str, timeout: int) -> Outcome:
    if not smtp_url:
        _write_file(Path(mail_dir), message)
        return DELIVERED
    try:
        _send_smtp(smtp_url, message, timeout)
    except smtplib.SMTPRecipientsRefused as error:
        code, text = next(iter(error.recipients.values()))
        return _refused(code, text, bounce=True)
    except smtplib.SMTPResponseException as error:
        bounce = isinstance(error, smtplib.SMTPDataError)
        return _refused(error.smtp_code, error.smtp_error, bounce=bounce)
    except (OSError, smtplib.SMTPException) as error:  # dropped, timed out, refused connection
        return Outcome(delivered=False, reason=f"{type(error).__name__}: {error}")
    return DELIVERED


def _refused(code: int, text: bytes | str, *, bounce: bool) -> Outcome:
    said = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
    permanent = 500 <= code < 600
    return Outcome(
        delivered=False, permanent=permanent, bounce=bounce and permanent, reason=f"{code} {said}"
    )


def _write_file(folder: Path, message: EmailMessage) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    stamp = utcnow().strftime("%Y%m%dT%H%M%S%f")
    token = str(message["Message-ID"] or "").strip("<>").split("@")[0][-8:]
    path = folder / f"{stamp}-{token}.eml"
    path.write_bytes(bytes(message))
    log.info("mail to %s written to %s", message["To"], path)


def _send_smtp(url: str, message: EmailMessage, timeout: int) -> None:
    """smtp://user:password@host:port (STARTTLS when offered), or smtps:// for implicit TLS."""
    parts = urlsplit(url)
    client_class = smtplib.SMTP_SSL if parts.scheme == "smtps" else smtplib.SMTP
    client = client_class(parts.hostname or "localhost", parts.port or 0, timeout=timeout)
    try:
        client.ehlo_or_helo_if_needed()
        if parts.scheme == "smtp" and client.has_extn("starttls"):
            client.starttls()
        if parts.username:
            client.login(parts.username, parts.password or "")
        client.send_message(message)
    finally:
        _quit_quietly(client)


def _quit_quietly(client: smtplib.SMTP) -> None:
    """Once the server accepted the message, a failing QUIT must not make us send it again."""
    try:
        client.quit()
    except (OSError, smtplib.SMTPException):
        client.close()
