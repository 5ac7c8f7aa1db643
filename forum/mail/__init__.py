"""Sending the outbox: render each message from templates, hand it to SMTP or write a .eml file.

Nothing here runs in a web request: services queue rows (forum/services/mail/), and the
worker (tasks.py) renders and sends them.
"""

from __future__ import annotations

from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path


def read_outbox(folder: Path) -> list[EmailMessage]:
    """Messages written so far, oldest first (for tests and for trying the site locally)."""
    parser = BytesParser(policy=policy.default)
    return [parser.parsebytes(path.read_bytes()) for path in sorted(folder.glob("*.eml"))]


def plain_text(message: EmailMessage) -> str:
    """The text part of a message (every message has a text and an HTML part)."""
    part = message.get_body(preferencelist=("plain",))
    return str(part.get_content()) if part is not None else ""
