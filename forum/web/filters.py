"""Jinja filters: dates in a human form in the site's time zone, and reply HTML as a short quote."""

from __future__ import annotations

from datetime import datetime
from datetime import tzinfo
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from flask import Flask
from flask import g
from flask import has_app_context
from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db
from forum.models.base import utcnow
from forum.services import site_settings
from forum.services.site_settings import SiteSettings
from forum.text.plain import excerpt
from forum.text.render import render
from forum.text.sanitize import is_web_address

_UNITS = (
    ("year", 365 * 86400),
    ("month", 30 * 86400),
    ("day", 86400),
    ("hour", 3600),
    ("minute", 60),
)
UTC_ZONE = ZoneInfo("UTC")


def request_site_settings() -> SiteSettings:
    """The site settings, read once per request (the header and every date need them)."""
    if "porch_site_settings" not in g:
        try:
            g.porch_site_settings = site_settings.site_settings()
        except SQLAlchemyError:  # e.g. the 503 page of an un-migrated database
            db.session.rollback()
            g.porch_site_settings = SiteSettings()
    stored: SiteSettings = g.porch_site_settings
    return stored


def site_zone() -> tzinfo:
    """The zone chosen at setup or in the dashboard; UTC outside a request or if unknown."""
    if not has_app_context():
        return UTC_ZONE
    try:
        return ZoneInfo(request_site_settings().time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return UTC_ZONE


def relative_time(moment: datetime, now: datetime | None = None) -> str:
    """ "3 days ago"; "just now" under a minute."""
    seconds = int(((now or utcnow()) - moment).total_seconds())
    for name, size in _UNITS:
        if seconds >= size:
            count = seconds // size
            return f"{count} {name}{'s' if count != 1 else ''} ago"
    return "just now"


def exact_time(moment: datetime, zone: tzinfo | None = None) -> str:
    """ "1 March 2026 at 09:30 CET", in the site's time zone."""
    return moment.astimezone(zone or site_zone()).strftime("%-d %B %Y at %H:%M %Z")


def long_date(moment: datetime, zone: tzinfo | None = None) -> str:
    """ "1 March 2026": the day as it was in the site's time zone."""
    return moment.astimezone(zone or site_zone()).strftime("%-d %B %Y")


def source_excerpt(source: str, limit: int = 140) -> str:
    """Markdown a reader wrote (such as a report's copy of a reply), as a short plain quote."""
    return excerpt(render(source), limit)


def web_address(url: object) -> bool:
    """Jinja test `is web_address`: a stored website may be an href (rows from before every
    path checked it could hold javascript:)."""
    return isinstance(url, str) and is_web_address(url)


def register(app: Flask) -> None:
    app.add_template_test(web_address, "web_address")
    app.add_template_filter(relative_time, "relative_time")
    app.add_template_filter(exact_time, "exact_time")
    app.add_template_filter(long_date, "long_date")
    app.add_template_filter(excerpt, "plain_excerpt")
    app.add_template_filter(source_excerpt, "source_excerpt")
