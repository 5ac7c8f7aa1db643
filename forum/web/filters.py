"""Jinja filters: dates, relative times and numbers through Babel in the page's language and
the site's time zone (the one place they are formatted), and reply HTML as a short quote."""

from __future__ import annotations

import math
from datetime import datetime
from datetime import timedelta
from datetime import tzinfo
from zoneinfo import ZoneInfo
from zoneinfo import ZoneInfoNotFoundError

from babel import Locale
from babel import dates as babel_dates
from flask import Flask
from flask import g
from flask import has_app_context
from sqlalchemy.exc import SQLAlchemyError

from forum.extensions import db
from forum.i18n import _
from forum.i18n import format_number
from forum.i18n import format_relative
from forum.i18n import get_locale
from forum.models.base import utcnow
from forum.services import site_settings
from forum.services.site_settings import SiteSettings
from forum.text.plain import excerpt
from forum.text.render import render
from forum.text.sanitize import is_web_address

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
    """ "3 days ago", "vor 3 Tagen"; "just now" under a minute (in the page's language)."""
    delta = moment - (now or utcnow())
    if abs(delta) < timedelta(minutes=1):
        return _("just now")
    if not has_app_context():
        return format_relative(delta)
    # Formatting costs ~80 µs; a thread shows a few dozen distinct ages at most: once each.
    key = (str(get_locale()), *_age(delta))
    said: dict[tuple[str, str, int, bool], str] = g.setdefault("porch_relative_times", {})
    if key not in said:
        said[key] = format_relative(delta)
    return said[key]


def age_shown(moment: datetime) -> tuple[str, int, bool]:
    """What `relative_time` would say, as (unit, count, future), without formatting: a cheap
    part of a cache key that changes exactly when the words do."""
    delta = moment - utcnow()
    return ("now", 0, False) if abs(delta) < timedelta(minutes=1) else _age(delta)


def age_shown_until(moment: datetime, now: datetime) -> datetime:
    """When `age_shown(moment)`, as of `now`, may next change: the next half step of its unit
    (the count is rounded) or the larger unit taking over at 0.85, whichever comes first."""
    age = (now - moment).total_seconds()
    if age < 0:  # a date in the future: no promise
        return now
    if age < 60:
        return moment + timedelta(minutes=1)
    larger: float | None = None
    for unit, size in babel_dates.TIMEDELTA_UNITS:
        value = age / size
        if value >= 0.85 or unit == "minute":
            change = (math.floor(value + 0.5) + 0.5) * size
            if larger is not None:
                change = min(change, 0.85 * larger)
            return moment + timedelta(seconds=change - 0.001)  # float error: rather early
        larger = size
    return now  # not reached: "minute" ends the loop


def _age(delta: timedelta) -> tuple[str, int, bool]:
    """The unit and rounded count Babel's format_timedelta shows (same units, 0.85 threshold)."""
    seconds = delta.total_seconds()
    for unit, size in babel_dates.TIMEDELTA_UNITS:
        value = abs(seconds) / size
        if value >= 0.85 or unit == "minute":
            return unit, max(1, round(value)), seconds >= 0
    return "minute", 1, seconds >= 0  # not reached: "minute" ends the loop


def exact_time(moment: datetime, zone: tzinfo | None = None) -> str:
    """ "March 1, 2026, 9:30 AM CET" / "1. März 2026, 09:30 CET", in the site's time zone."""
    zone = zone or site_zone()
    locale = get_locale() or Locale.parse("en")
    local = moment.astimezone(zone)
    if not has_app_context():
        return _format_exact(local, locale)
    # Formatting costs ~60 µs and the words name the minute: a queue page of 50 cards shows a
    # few distinct minutes, and a minute's new replies all show the same one, so each is
    # formatted once per process (Babel's formats never change while it runs).
    key = (str(locale), str(zone), local.replace(second=0, microsecond=0))
    if (words := _EXACT_TIMES.get(key)) is not None:
        return words
    words = _format_exact(local, locale)
    if "s" not in locale.time_formats["short"].pattern:  # one with seconds names the second
        if len(_EXACT_TIMES) >= _EXACT_TIMES_KEPT:
            _EXACT_TIMES.clear()  # bounded: a fresh start costs a few formats
        _EXACT_TIMES[key] = words
    return words


_EXACT_TIMES: dict[tuple[str, str, datetime], str] = {}
_EXACT_TIMES_KEPT = 4096


def _format_exact(local: datetime, locale: Locale) -> str:
    """The locale's long date and short time, with the zone's abbreviation at that moment."""
    date_and_time = str(locale.datetime_formats["long"])  # e.g. "{1}, {0}" or "{1} 'at' {0}"
    pattern = date_and_time.replace("{1}", locale.date_formats["long"].pattern).replace(
        "{0}", f"{locale.time_formats['short'].pattern} '{local.tzname()}'"
    )
    return str(babel_dates.format_datetime(local, pattern, tzinfo=local.tzinfo, locale=locale))


def long_date(moment: datetime, zone: tzinfo | None = None) -> str:
    """ "March 1, 2026" / "1 mars 2026": the day as it was in the site's time zone."""
    local = moment.astimezone(zone or site_zone())
    return babel_dates.format_date(local.date(), "long", locale=get_locale() or "en")


def number(value: float) -> str:
    """ "1,234" / "1.234" / "1 234": a count or amount in the page's language."""
    return format_number(value)


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
    app.add_template_filter(number, "number")
    app.add_template_filter(excerpt, "plain_excerpt")
    app.add_template_filter(source_excerpt, "source_excerpt")
