"""Audit entries told in words: their reasons, actions, targets, and what changed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from forum.i18n import _
from forum.i18n import lazy_gettext
from forum.i18n import ngettext
from forum.web.filters import exact_time
from forum.web.moderation_presenters import STORED_WORDS
from forum.web.moderation_presenters import in_words
from forum.web.moderation_presenters import rule_name

# Reasons Porch writes itself are stored in English (a stable record, exported as is) and told
# in the reader's language when shown; a moderator's own words are shown as typed.
_AUTOMATIC_REASONS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = [
    (
        re.compile(r"hidden after (\d+) reports"),
        lambda m: ngettext(
            "hidden after %(num)d report", "hidden after %(num)d reports", int(m[1])
        ),
    ),
    (
        re.compile(r"undo #(\d+) \((\w+)\)"),
        lambda m: _("undo #%(entry)s (%(action)s)", entry=m[1], action=audit_action_name(m[2])),
    ),
    (re.compile(r"approved to answer it"), lambda m: _("approved to answer it")),
    (
        re.compile(r"approved the “(.+)” group", re.S),
        lambda m: _("approved the “%(group)s” group", group=rule_name(m[1])),
    ),
]


def audit_reason(reason: str) -> str:
    """An audit entry's reason as the log shows it."""
    for pattern, told in _AUTOMATIC_REASONS:
        if match := pattern.fullmatch(reason):
            return told(match)
    return reason


_ACTION_NAMES = {
    "approve": lazy_gettext("approve"),
    "trash": lazy_gettext("trash"),
    "spam": lazy_gettext("spam"),
    "not_spam": lazy_gettext("not spam"),
    "restore": lazy_gettext("restore"),
    "edit": lazy_gettext("edit"),
    "moderator_reply": lazy_gettext("moderator reply"),
    "resolve_flags": lazy_gettext("resolve reports"),
    "keep": lazy_gettext("keep"),
    "hide_flagged": lazy_gettext("hidden by reports"),
    "hold_branch": lazy_gettext("hold branch"),
    "trash_branch": lazy_gettext("trash branch"),
    "lock_branch": lazy_gettext("lock branch"),
    "unlock_branch": lazy_gettext("unlock branch"),
    "collapse_branch": lazy_gettext("collapse branch"),
    "ban": lazy_gettext("ban"),
    "lift_ban": lazy_gettext("lift ban"),
    "set_role": lazy_gettext("set role"),
    "update_rules": lazy_gettext("update rules"),
    "update_settings": lazy_gettext("update settings"),
    "undo": lazy_gettext("undo"),
}


def audit_action_name(action: str) -> str:
    """An audit entry's action (a stored code) as the log shows it."""
    return in_words(_ACTION_NAMES, action, str(action).replace("_", " "))


_TARGET_NAMES = {
    "reply": lazy_gettext("reply"),
    "ban": lazy_gettext("ban"),
    "user": lazy_gettext("user"),
    "settings": lazy_gettext("settings"),
    "webhook": lazy_gettext("webhook"),
}


def audit_target_name(target_type: str) -> str:
    """What kind of items an audit entry is about."""
    return in_words(_TARGET_NAMES, target_type)


_FIELD_NAMES = {
    "status": lazy_gettext("status"),
    "held_reason": lazy_gettext("held reason"),
    "locked_at": lazy_gettext("locked"),
    "ip_range": lazy_gettext("IP range"),
    "body": lazy_gettext("text"),
    "ban_id": lazy_gettext("ban"),
    "user_id": lazy_gettext("account"),
    "parent_id": lazy_gettext("in reply to"),
    "reason": lazy_gettext("reason"),
    "role": lazy_gettext("role"),
    "email": lazy_gettext("email"),
    "removed": lazy_gettext("removed"),
    "collapsed": lazy_gettext("collapsed"),
}
_VALUE_LENGTH = 80
_MAX_LINES = 8


def audit_changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """An audit entry's before and after as lines of words, e.g. "status: pending → approved"."""
    lines = [
        line
        for key in [*before, *(k for k in after if k not in before)]
        if (line := _change(key, before, after))
    ]
    if len(lines) > _MAX_LINES:
        more = len(lines) - _MAX_LINES + 1
        lines = [
            *lines[: _MAX_LINES - 1],
            ngettext("and %(num)d more change", "and %(num)d more changes", more),
        ]
    return lines


def _change(key: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """One field's line; empty when it did not change (settings entries keep every field)."""
    old, new = _words(before.get(key), key), _words(after.get(key), key)
    name = str(_FIELD_NAMES.get(key, key.replace("_", " ")))
    if old == new:
        return ""
    if key == "locked_at":  # a time when locked, nothing when not
        unlocked, no = ("", _("none")), _("no")
        old, new = (no if old in unlocked else old), (no if new in unlocked else new)
    elif not old:
        return _("%(name)s: %(new)s", name=name, new=new)
    elif key not in after:
        return _("%(name)s before: %(old)s", name=name, old=old)
    return _("%(name)s: %(old)s → %(new)s", name=name, old=old, new=new or _("none"))


def _words(value: Any, key: str = "") -> str:
    """One stored value in words: per-reply maps summarised, times and lists written out."""
    if value is None or value == {} or value == []:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int) and key.endswith("_id"):
        return f"#{value}"
    if isinstance(value, dict):
        return _summary([_words(v) or _("none") for v in value.values()])
    if isinstance(value, list):
        listed = ", ".join(f"#{v}" if isinstance(v, int) else _words(v) for v in value[:10])
        if len(value) > 10:
            return _("%(listed)s and %(num)d more", listed=listed, num=len(value) - 10)
        return listed
    text = str(value)
    if text in STORED_WORDS:
        return str(STORED_WORDS[text])
    if _is_time(text):
        return exact_time(datetime.fromisoformat(text))
    text = " ".join(text.split())
    if len(text) > _VALUE_LENGTH:
        text = text[: _VALUE_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return text.replace("_", " ") if " " not in text else f"“{text}”"


def _summary(values: list[str]) -> str:
    """One value when all replies had it, else counts: "pending (2), spam (1)"."""
    counts = Counter(values)
    if len(counts) == 1:
        return values[0]
    return ", ".join(f"{value} ({count})" for value, count in counts.most_common())


def _is_time(text: str) -> bool:
    """ISO timestamps, as branch actions store them."""
    if len(text) < 19 or text[4:5] != "-" or "T" not in text:
        return False
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True
