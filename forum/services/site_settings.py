"""Settings edited in the dashboard, stored as JSON values in the `setting` table.

Code holds the defaults; a stored value only overrides the keys it has, so new settings added
in a later release start at their defaults on existing sites.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import field
from dataclasses import fields
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from forum.extensions import db
from forum.models import Setting

MODERATION_KEY = "moderation"
SITE_KEY = "site"


@dataclass(frozen=True)
class ModerationSettings:
    hold_all: bool = False  # manual approval of every reply
    hold_first_time: bool = True  # hold authors with no previously approved reply
    link_limit: int = 2  # hold at this many links or more; 0 turns the rule off
    hold_keywords: list[str] = field(default_factory=list)
    spam_keywords: list[str] = field(default_factory=list)
    spam_emails: list[str] = field(default_factory=list)
    spam_ips: list[str] = field(default_factory=list)  # addresses or CIDR ranges
    close_after_days: int = 0  # refuse replies on posts older than this; 0: never
    flood_seconds: int = 15  # one reply per this many seconds per author or address
    flag_threshold: int = 3  # independent reports that hide a reply pending review
    # The spam filter's thresholds are fitted on the site's decisions (spam_refit.py) from these:
    spam_honest_percent: float = 0.5  # most honest replies it may send straight to Spam, in %
    spam_hold_percent: float = 5.0  # most honest replies it may hold for review, in %
    spam_min_decisions: int = 50  # of each kind before anything goes straight to Spam
    # Optional floors on the calibrated score (0: the fitted thresholds alone decide); sites
    # from before the fitted thresholds keep their old 0.9 and 0.6 here, shown on the rules page.
    spam_threshold: float = 0.0
    spam_hold_threshold: float = 0.0
    notify_moderators: bool = True  # email moderators when a reply waits
    daily_digest: bool = False  # one email a day instead of one per waiting reply
    edit_window_minutes: int = 15  # authors may edit or delete a reply this long; 0: never


@dataclass(frozen=True)
class SiteSettings:
    site_name: str | None = None  # overrides PORCH_SITE_NAME when set
    time_zone: str = "UTC"  # IANA name; dates on pages are shown in it
    language: str = "en"  # pages speak it when the reader's browser asks for none offered


_KEPT = "porch_setting_rows"  # session.info key
# session.info key: where this session may take the shown settings' values from instead
# (values remembered between requests by the web layer; see use_remembered).
_REMEMBERED = "porch_setting_source"
_SHOWN_KEYS = (MODERATION_KEY, SITE_KEY)
_SHOWN_VALUES = select(Setting.__table__.c.key, Setting.__table__.c.value).where(
    Setting.__table__.c.key.in_(_SHOWN_KEYS)
)


def shown_values(connection: Connection) -> dict[str, Any]:
    """The moderation and site settings' stored values, in one statement on `connection`."""
    return {key: value for key, value in connection.execute(_SHOWN_VALUES)}


def use_remembered(source: Callable[[], dict[Any, Any]]) -> None:
    """Take the moderation and site settings from `source` (called once, when first needed)
    for the rest of this session, until a setting is written in it: for page reads, whose
    caller remembers the values between requests for as long as nothing was committed."""
    db.session.info[_REMEMBERED] = source


def use_stored() -> None:
    """From now on this session reads the settings' rows again (see use_remembered)."""
    db.session.info.pop(_REMEMBERED, None)


def _remembered() -> dict[Any, Any] | None:
    source = db.session.info.get(_REMEMBERED)
    if source is not None and not isinstance(source, dict):
        source = db.session.info[_REMEMBERED] = source()
    return source


def _stored_value(key: str) -> Any:
    row = db.session.get(Setting, key)
    # Held, so the session's (weak) identity map keeps it: another read in the same transaction,
    # or after a commit that expires nothing, then costs no query.
    db.session.info.setdefault(_KEPT, {})[key] = row
    return row.value if row is not None else None


def _load(key: str, kind: type[Any]) -> Any:
    remembered = _remembered() if key in _SHOWN_KEYS else None
    if remembered is not None and (key, kind) in remembered:
        return remembered[(key, kind)]  # built from the same remembered values before
    value = remembered.get(key) if remembered is not None else _stored_value(key)
    stored = value if isinstance(value, dict) else {}
    known = {f.name for f in fields(kind)}
    built = kind(**{k: v for k, v in stored.items() if k in known})
    if remembered is not None:  # frozen: requests sharing the remembered values share it
        remembered[(key, kind)] = built
    return built


def write_setting(key: str, value: dict[str, Any], *, replace: bool = True) -> bool:
    """Insert a setting row, or replace its value (keep it, if not `replace`); True if written.

    One statement, so two first writes at once never collide; runs in the caller's transaction
    and refreshes a row already loaded in the session.
    """
    use_stored()  # from now on this session reads its own write
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(Setting).values(key=key, value=value)
    if replace:
        statement = statement.on_conflict_do_update(
            index_elements=[Setting.key], set_={"value": statement.excluded.value}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=[Setting.key])
    written = db.session.execute(
        statement.returning(Setting), execution_options={"populate_existing": True}
    )
    return written.first() is not None


def _store(key: str, value: Any) -> None:
    """Write the new value; the calling service commits with its audit entry."""
    write_setting(key, asdict(value))
    from forum.services.cache_versions import touch_site  # it reads this module's keys

    touch_site(db.session.connection())  # every page shows the settings: cached ones go


def moderation_settings() -> ModerationSettings:
    result: ModerationSettings = _load(MODERATION_KEY, ModerationSettings)
    return result


def store_moderation_settings(value: ModerationSettings) -> None:
    _store(MODERATION_KEY, value)


def site_settings() -> SiteSettings:
    result: SiteSettings = _load(SITE_KEY, SiteSettings)
    return result


def store_site_settings(value: SiteSettings) -> None:
    _store(SITE_KEY, value)
