"""First run of a production site: name it, pick its time zone, make the first admin.

Setup counts as done once a row keyed `setup` exists in the `setting` table or any admin
exists (one made with `porch user create`, say). The row is inserted first in the setup's own
transaction: its primary key lets only one of two simultaneous setups commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from dataclasses import replace
from functools import lru_cache
from zoneinfo import available_timezones

from sqlalchemy import exists
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import generate_password_hash

from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.i18n import ngettext
from forum.models import Identity
from forum.models import Role
from forum.models import Setting
from forum.models import User
from forum.models.base import utcnow
from forum.security.oidc import ExternalProfile
from forum.services import site_settings
from forum.services.accounts import check_password_rules
from forum.services.accounts import find_by_email
from forum.services.accounts import normalise_email
from forum.text.names import clean_name

log = logging.getLogger(__name__)
SETUP_KEY = "setup"
NAME_MAX_LENGTH = 80


class AlreadySetUp(NotFound):
    """Setup is over: the page is gone for good, and a late second submission creates nothing."""

    def __init__(self) -> None:
        super().__init__(
            _("This site is already set up. Sign in with its administrator's account.")
        )


@dataclass(frozen=True)
class SiteChoices:
    """What the owner chose about the site (kept in the session during a provider sign-in)."""

    site_name: str
    time_zone: str
    with_demo: bool


@dataclass(frozen=True)
class SetupResult:
    admin: User
    demo_summary: str | None  # what the demo added, when it was asked for and loaded
    demo_problem: str | None  # why the demo was not loaded, when it was asked for


@lru_cache(maxsize=1)
def time_zones() -> tuple[str, ...]:
    """IANA zone names, sorted, for the select and for validation."""
    return tuple(sorted(available_timezones()))


def is_set_up() -> bool:
    """True once setup has run or an admin exists; from then on it never runs again."""
    marker = exists().where(Setting.key == SETUP_KEY)
    admin = exists().where(User.role == Role.ADMIN)
    return bool(db.session.scalar(select(marker | admin)))


def check_choices(choices: SiteChoices) -> dict[str, list[str]]:
    """Field errors about the site's name and time zone (empty when all is well)."""
    errors: dict[str, list[str]] = {}
    if not 1 <= len(choices.site_name.strip()) <= NAME_MAX_LENGTH:
        errors["site_name"] = [
            ngettext(
                "Give the site a name of 1 to %(num)d character.",
                "Give the site a name of 1 to %(num)d characters.",
                NAME_MAX_LENGTH,
            )
        ]
    if choices.time_zone not in time_zones():
        errors["time_zone"] = [_("Choose a time zone from the list.")]
    return errors


def complete_with_password(
    *, choices: SiteChoices, display_name: str, email: str, password: str, min_length: int
) -> SetupResult:
    """Store the site's choices and create the first admin with an email and password."""
    errors = check_choices(choices)
    display_name = clean_name(display_name)
    if not 1 <= len(display_name) <= NAME_MAX_LENGTH:
        errors["display_name"] = [
            ngettext(
                "Give a name of 1 to %(num)d character.",
                "Give a name of 1 to %(num)d characters.",
                NAME_MAX_LENGTH,
            )
        ]
    if find_by_email(email) is not None:
        errors["email"] = [_("An account with this email already exists; use another address.")]
    elif choices.with_demo and _is_demo_address(email):
        errors["email"] = [_("The demo's accounts use example.com addresses: use your own.")]
    if problems := check_password_rules(password, min_length):
        errors["password"] = problems
    if errors:
        raise InvalidInput(errors)
    admin = User(
        email=normalise_email(email),
        display_name=display_name,
        password_hash=generate_password_hash(password),
        email_verified_at=utcnow(),  # as with `porch user create`: the site's operator typed it
    )
    return _complete(choices, admin)


def _is_demo_address(email: str) -> bool:
    """The demo's own accounts: its author, and members at the reserved example.com."""
    from forum.demo.text import ADMIN_EMAIL  # the demo package loads Faker: only when needed

    address = normalise_email(email)
    return address == ADMIN_EMAIL or address.endswith("@example.com")


def complete_with_identity(*, choices: SiteChoices, profile: ExternalProfile) -> SetupResult:
    """Store the site's choices and make whoever signed in with a provider the first admin."""
    errors = check_choices(choices)
    if profile.email_verified and profile.email and find_by_email(profile.email) is not None:
        errors["email"] = [
            _(
                "An account here already uses %(email)s; set up with a password.",
                email=profile.email,
            )
        ]
    if _identity_taken(profile):
        errors["provider"] = [_("That sign-in already belongs to an account here.")]
    if errors:
        raise InvalidInput(errors)
    admin = User(
        display_name=clean_name(profile.name or "") or f"{profile.provider.title()} user",
        email=profile.email if profile.email_verified else None,
        email_verified_at=utcnow() if profile.email_verified else None,
        avatar_url=profile.picture_url,
    )
    admin.identities.append(
        Identity(
            provider=profile.provider,
            subject=profile.subject,
            email=profile.email,
            email_verified=profile.email_verified,
            display_name=clean_name(profile.name or "") or None,
            picture_url=profile.picture_url,
            last_used_at=utcnow(),
        )
    )
    return _complete(choices, admin)


def _identity_taken(profile: ExternalProfile) -> bool:
    taken = exists().where(
        Identity.provider == profile.provider, Identity.subject == profile.subject
    )
    return bool(db.session.scalar(select(taken)))


def _complete(choices: SiteChoices, admin: User) -> SetupResult:
    """Claim the setup row first, then write the admin and the settings; one commit."""
    if is_set_up():
        raise AlreadySetUp
    _claim()
    admin.role = Role.ADMIN
    admin.last_sign_in_at = utcnow()
    db.session.add(admin)
    current = site_settings.site_settings()
    site_settings.store_site_settings(
        replace(current, site_name=choices.site_name.strip(), time_zone=choices.time_zone)
    )
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if is_set_up():
            raise AlreadySetUp from error
        raise
    summary, problem = _load_demo() if choices.with_demo else (None, None)
    return SetupResult(admin=admin, demo_summary=summary, demo_problem=problem)


def _claim() -> None:
    """Insert the setup row now: a concurrent setup waits here, then fails on its key."""
    db.session.add(Setting(key=SETUP_KEY, value={"completed_at": utcnow().isoformat()}))
    try:
        db.session.flush()
    except IntegrityError as error:
        db.session.rollback()
        raise AlreadySetUp from error


def _load_demo() -> tuple[str | None, str | None]:
    """The demo goes in after the admin is committed; if it cannot, the site stays set up."""
    from forum.demo import DatabaseNotEmpty
    from forum.demo import load_demo

    try:
        return load_demo(), None
    except DatabaseNotEmpty as error:
        db.session.rollback()
        return None, str(error)
    except IntegrityError as error:
        db.session.rollback()
        log.warning("demo content not loaded during setup: %r", error)
        return None, _("An account in the demo clashed with yours.")
