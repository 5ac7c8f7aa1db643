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
from itertools import chain
from typing import Any

from sqlalchemy import Connection
from sqlalchemy import bindparam
from sqlalchemy import event
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import ORMExecuteState
from sqlalchemy.orm import Session
from sqlalchemy.orm import SessionTransaction

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


# Built once and run on the session's connection: every request reads a setting, and a Core
# statement reused as is costs a fifth of an ORM get (no identity map, no statement to build).
_TABLE = Setting.__table__
_VALUES_OF = select(_TABLE.c.key, _TABLE.c.value).where(
    _TABLE.c.key.in_(bindparam("keys", expanding=True))
)
_READ = "porch_setting_values"  # session.info key: values read, as the identity map kept rows
# The version of the rows services/rare_rows.py remembers: read with the settings, for free.
RARE_ROWS_KEY = "rare_rows_version"
# Read together: a request that posts (or shows moderation state) needs them all, one query.
_PAIRED = (SITE_KEY, MODERATION_KEY, RARE_ROWS_KEY)


def stored_value(key: str) -> Any:
    """A setting row's stored JSON value, or None.

    Read once per transaction (and kept over a commit that expires nothing), as a loaded ORM
    row was: any write to the setting table forgets what was read (see install)."""
    read: dict[str, Any] = db.session.info.setdefault(_READ, {})
    if key not in read:
        keys = [k for k in _PAIRED if k not in read] if key in _PAIRED else [key]
        rows = db.session.connection().execute(_VALUES_OF, {"keys": keys})
        # Only rows that exist, as only they stayed in the identity map: a missing one is
        # asked again, so a row another session adds meanwhile is seen.
        read.update({row.key: row.value for row in rows})
    return read.get(key)


def settings_from(kind: type[Any], value: Any) -> Any:
    """The dataclass of these settings from a stored value: its known keys over the defaults."""
    stored = value if isinstance(value, dict) else {}
    known = _FIELDS.get(kind) or _FIELDS.setdefault(kind, frozenset(f.name for f in fields(kind)))
    return kind(**{k: v for k, v in stored.items() if k in known})


_FIELDS: dict[type[Any], frozenset[str]] = {}  # each settings class's field names


# session.info key: where this session may take the paired settings' values from instead
# (values remembered between requests by the web layer; see use_remembered).
_REMEMBERED = "porch_setting_source"


def shown_values(connection: Connection) -> dict[str, Any]:
    """The moderation and site settings' stored values, in one statement on `connection`."""
    return {key: value for key, value in connection.execute(_VALUES_OF, {"keys": list(_PAIRED)})}


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


def _load(key: str, kind: type[Any]) -> Any:
    remembered = _remembered() if key in _PAIRED else None
    if remembered is None:
        return settings_from(kind, stored_value(key))
    if (key, kind) not in remembered:  # frozen: requests sharing the remembered values share it
        remembered[(key, kind)] = settings_from(kind, remembered.get(key))
    return remembered[(key, kind)]


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
    _forget(db.session())
    return written.first() is not None


def _forget(session: Session, *_: Any) -> None:
    session.info.pop(_READ, None)


def forget_values(session: Session) -> None:
    """Read the settings' rows again when next asked: a write may have changed them."""
    _forget(session)


def _forget_written(session: Session, _context: Any) -> None:
    if any(isinstance(obj, Setting) for obj in chain(session.new, session.dirty, session.deleted)):
        _forget(session)


_KEEP = "porch_setting_values_kept"  # session.info flag: the commit expired nothing


def _forget_expired(session: Session) -> None:
    if session.expire_on_commit:  # a commit that expires rows would have reloaded them
        _forget(session)
    else:
        session.info[_KEEP] = True


def _forget_ended(session: Session, transaction: SessionTransaction) -> None:
    """A closed or rolled back session forgets its rows; only a commit that expired nothing
    keeps them, as it kept the rows in the identity map."""
    if transaction.parent is None and not session.info.pop(_KEEP, False):
        _forget(session)


def _forget_bulk(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete or state.is_insert) and (
        state.bind_mapper is None or state.bind_mapper.class_ is Setting
    ):
        _forget(state.session)


def install() -> None:
    """Hook the session class once: writes, rollbacks and expiring commits forget values read."""
    session_class = db.session.session_factory.class_
    if not event.contains(session_class, "after_flush", _forget_written):
        event.listen(session_class, "after_flush", _forget_written)
        event.listen(session_class, "after_commit", _forget_expired)
        event.listen(session_class, "after_soft_rollback", _forget)
        event.listen(session_class, "after_transaction_end", _forget_ended)
        event.listen(session_class, "do_orm_execute", _forget_bulk)


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
