"""Admin settings: roles, moderation rules and site settings, each change logged."""

from __future__ import annotations

from dataclasses import asdict

from sqlalchemy import select

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.i18n import offered_languages
from forum.models import AuditAction
from forum.models import Role
from forum.models import User
from forum.services import site_settings
from forum.services.moderation import audit
from forum.services.moderation.matching import valid_range
from forum.services.moderation.permissions import require_admin
from forum.services.setup import time_zones
from forum.services.site_settings import ModerationSettings
from forum.services.site_settings import SiteSettings


def staff() -> list[User]:
    """Admins and moderators, for the roles page and moderator notifications."""
    query = select(User).where(User.role.in_([Role.ADMIN, Role.MODERATOR])).order_by(User.id)
    return list(db.session.scalars(query))


def set_role(*, admin: User | None, user_id: int, role: Role) -> User:
    actor = require_admin(admin)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("That account does not exist."))
    if user.id == actor.id and role is not Role.ADMIN:
        raise Forbidden(_("You cannot remove your own admin role; ask another admin."))
    before = user.role.value
    user.role = role
    audit.record(
        actor=actor,
        action=AuditAction.SET_ROLE,
        target_type="user",
        target_ids=[user.id],
        before={"role": before},
        after={"role": role.value},
    )
    db.session.commit()
    return user


def set_author(*, admin: User | None, user_id: int, allowed: bool) -> User:
    """Let a member write posts at the desk, or stop them; logged like a role change."""
    actor = require_admin(admin)
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("That account does not exist."))
    before = user.can_author
    user.can_author = allowed
    audit.record(
        actor=actor,
        action=AuditAction.SET_ROLE,
        target_type="user",
        target_ids=[user.id],
        before={"author": before},
        after={"author": allowed},
    )
    db.session.commit()
    return user


def check_rules(rules: ModerationSettings) -> None:
    """Every problem at once, so the form can show each beside its field."""
    errors: dict[str, list[str]] = {}
    bad_ranges = [entry for entry in rules.spam_ips if not valid_range(entry)]
    if bad_ranges:
        errors["spam_ips"] = [
            _("Not an address or range: %(entries)s.", entries=", ".join(bad_ranges[:5]))
        ]
    bad_emails = [entry for entry in rules.spam_emails if "@" not in entry]
    if bad_emails:
        errors["spam_emails"] = [
            _("Not an email address: %(entries)s.", entries=", ".join(bad_emails[:5]))
        ]
    if rules.spam_hold_threshold > rules.spam_threshold:
        errors["spam_hold_threshold"] = [_("Use a hold floor no higher than the spam floor.")]
    if not 0 < rules.spam_honest_percent <= rules.spam_hold_percent <= 50:
        errors["spam_honest_percent"] = [_("Use 0 < straight-to-spam share ≤ held share ≤ 50 %.")]
    for name in (
        "link_limit",
        "close_after_days",
        "flood_seconds",
        "edit_window_minutes",
        "spam_min_decisions",
    ):
        if getattr(rules, name) < 0:
            errors[name] = [_("Use 0 or more.")]
    if rules.flag_threshold < 1:
        errors["flag_threshold"] = [_("Use 1 or more.")]
    if errors:
        raise InvalidInput(errors)


def update_rules(*, admin: User | None, rules: ModerationSettings) -> ModerationSettings:
    actor = require_admin(admin)
    check_rules(rules)
    before = site_settings.moderation_settings()
    site_settings.store_moderation_settings(rules)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE_RULES,
        target_type="settings",
        target_ids=[],
        before=asdict(before),
        after=asdict(rules),
    )
    db.session.commit()
    return rules


def update_site(*, admin: User | None, site: SiteSettings) -> SiteSettings:
    actor = require_admin(admin)
    errors = {}
    if site.site_name is not None and not 1 <= len(site.site_name.strip()) <= 80:
        errors["site_name"] = [_("Use 1 to 80 characters.")]
    if site.time_zone not in time_zones():
        errors["time_zone"] = [_("Choose a time zone from the list.")]
    if site.language not in offered_languages():
        errors["language"] = [_("Choose a language from the list.")]
    if errors:
        raise InvalidInput(errors)
    before = site_settings.site_settings()
    site_settings.store_site_settings(site)
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE_SETTINGS,
        target_type="settings",
        target_ids=[],
        before=asdict(before),
        after=asdict(site),
    )
    db.session.commit()
    return site
