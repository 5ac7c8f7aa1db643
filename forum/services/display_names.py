"""The one check every written display name passes: guests, members, providers, imports.

Invisible and direction-changing characters are removed (forum.text.names), and a name that
looks like a moderator's or admin's (same UTS #39 skeleton) is refused to anyone else, so a
guest cannot sign as "Adrnin" or "Аdmin" when "Admin" moderates the site.
"""

from __future__ import annotations

from sqlalchemy import select

from forum.errors import InvalidInput
from forum.i18n import _
from forum.models import Role
from forum.models import User
from forum.services import rare_rows
from forum.services import statements
from forum.text.names import clean_name
from forum.text.names import skeletons

STAFF = (Role.ADMIN, Role.MODERATOR)


def checked_name(raw: str, *, field: str, user: User | None = None) -> str:
    """The name to store, or InvalidInput on `field` saying why it cannot be used.

    `user` is the account taking the name (None for a guest); its own name never conflicts.
    """
    name = clean_name(raw)
    if not name:
        message = _(
            "Please type a name people can read: it cannot be made only of invisible "
            "or direction-changing characters."
        )
        raise InvalidInput({field: [message]})
    if impersonates_staff(name, user):
        message = _(
            "This name looks like the name of one of this site's moderators. Please choose another."
        )
        raise InvalidInput({field: [message]})
    return name


def cleaned_or(raw: str | None, fallback: str, *, user: User | None = None) -> str:
    """For names no one can correct (from a provider): the name if usable, else the fallback."""
    name = clean_name(raw or "")
    if not name or impersonates_staff(name, user):
        return fallback
    return name


def impersonates_staff(name: str, user: User | None = None) -> bool:
    """True when the name looks like a moderator's or admin's other than `user` itself."""
    if user is not None and user.role in STAFF:
        return False  # staff are known to each other; the check protects readers from others
    own_id = user.id if user is not None else None
    mine = skeletons(name)
    return any(
        staff_id != own_id and mine & staff_skeletons
        for staff_id, staff_skeletons in rare_rows.remembered("staff names", _staff_skeletons)
    )


# Built once: every guest's post asks it (when the staff changed since the last).
_STAFF_NAMES = select(User.id, User.display_name).where(User.role.in_(STAFF))


def _staff_skeletons() -> tuple[tuple[int, frozenset[str]], ...]:
    return tuple(
        (staff.id, skeletons(staff.display_name)) for staff in statements.run(_STAFF_NAMES)
    )
