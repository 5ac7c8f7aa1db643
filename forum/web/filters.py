"""Jinja filters: dates in a human form, and reply HTML as a short plain-text quote."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from flask import Flask

from forum.models.base import utcnow
from forum.text.plain import excerpt
from forum.text.render import render

_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
)


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """ "3 days ago"; "just now" under a minute."""
    seconds = int(((now or utcnow()) - moment).total_seconds())
    for name, size in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {name}{'s' if count != 1 else ''} ago"
    return "just now"


def exact_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%-d %B %Y at %H:%M UTC")


def long_date(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%-d %B %Y")


def source_excerpt(source: str, limit: int = 140) -> str:
    """Markdown a reader wrote (such as a report's copy of a reply), as a short plain quote."""
    return excerpt(render(source), limit)


def register(app: Flask) -> None:
    app.add_template_filter(relative_time, "relative_time")
    app.add_template_filter(exact_time, "exact_time")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(excerpt, "plain_excerpt")
    app.add_template_filter(source_excerpt, "source_excerpt")
