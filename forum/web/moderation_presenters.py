"""Moderation records told in words: why a reply has its status, what an audit entry changed."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from datetime import datetime
from typing import Any

from forum.i18n import _
from forum.i18n import lazy_gettext
from forum.i18n import ngettext
from forum.models import Reply
from forum.models import ReplyStatus
from forum.phrases import shown
from forum.services.moderation.flags import FLAGGED
from forum.services.moderation.queue import AuthorHistory
from forum.web.filters import exact_time

_SEVERITY = {"pass": 0, "hold": 1, "spam": 2}  # nosec B105  # verdict names, not a password
Words = Callable[[str], str]
# How the rules' first decision reads, by the rule that made it and its verdict.
_FIRST: dict[tuple[str, str], Words] = {
    ("first_time", "hold"): lambda detail: _("Held as a first reply"),
    ("links", "hold"): lambda detail: _("Held for its links (%(detail)s)", detail=detail),
    ("keyword", "hold"): lambda detail: _(
        "Held for a moderation keyword (%(detail)s)", detail=detail
    ),
    ("hold_all", "hold"): lambda detail: _("Held, as every reply is"),
    ("spam_score", "hold"): lambda detail: _("Held for its spam score (%(detail)s)", detail=detail),
    ("spam_score", "spam"): lambda detail: _(
        "Sent to spam by its spam score (%(detail)s)", detail=detail
    ),
    ("blocklist", "spam"): lambda detail: _(
        "Sent to spam by the blocklist (%(detail)s)", detail=detail
    ),
}
# "…, then approved by Mo on 3 May": what a moderator did since, by the reply's status now.
_THEN_BY: dict[ReplyStatus, Callable[[str, str, str], str]] = {
    ReplyStatus.APPROVED: lambda first, name, when: _(
        "%(decision)s, then approved by %(name)s on %(when)s.", decision=first, name=name, when=when
    ),
    ReplyStatus.PENDING: lambda first, name, when: _(
        "%(decision)s, then held by %(name)s on %(when)s.", decision=first, name=name, when=when
    ),
    ReplyStatus.SPAM: lambda first, name, when: _(
        "%(decision)s, then marked as spam by %(name)s on %(when)s.",
        decision=first,
        name=name,
        when=when,
    ),
    ReplyStatus.TRASH: lambda first, name, when: _(
        "%(decision)s, then trashed by %(name)s on %(when)s.", decision=first, name=name, when=when
    ),
}
_THEN: dict[ReplyStatus, Callable[[str, str], str]] = {
    ReplyStatus.APPROVED: lambda first, when: _(
        "%(decision)s, then approved on %(when)s.", decision=first, when=when
    ),
    ReplyStatus.PENDING: lambda first, when: _(
        "%(decision)s, then held on %(when)s.", decision=first, when=when
    ),
    ReplyStatus.SPAM: lambda first, when: _(
        "%(decision)s, then marked as spam on %(when)s.", decision=first, when=when
    ),
    ReplyStatus.TRASH: lambda first, when: _(
        "%(decision)s, then trashed on %(when)s.", decision=first, when=when
    ),
}


# Stored codes in words. Each table is built once and a call translates only the word it
# needs: a queue page names some 300 rules, and building the table per call cost ten each.
_RULE_NAMES = {
    "staff": lazy_gettext("staff"),
    "blocklist": lazy_gettext("blocklist"),
    "hold_all": lazy_gettext("hold all"),
    "links": lazy_gettext("links"),
    "keyword": lazy_gettext("keyword"),
    "first_time": lazy_gettext("first time"),
    "spam_score": lazy_gettext("spam score"),
    "edit": lazy_gettext("edit"),
    "import": lazy_gettext("import"),
    FLAGGED: lazy_gettext("flagged"),
}


def rule_name(rule: str) -> str:
    """A rule's code (stored, matched) as moderators read it."""
    name = _RULE_NAMES.get(rule)
    return str(name) if name is not None else rule.replace("_", " ")


_TAB_LABELS = {
    "pending": lazy_gettext("Pending"),
    "flagged": lazy_gettext("Flagged"),
    "spam": lazy_gettext("Spam"),
    "approved": lazy_gettext("Approved"),
    "trash": lazy_gettext("Trash"),
}


def tab_label(tab: str) -> str:
    """A queue tab's name (its value is in URLs and stays English)."""
    name = _TAB_LABELS.get(str(tab))
    return str(name) if name is not None else str(tab).title()


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
    name = _ACTION_NAMES.get(str(action))
    return str(name) if name is not None else str(action).replace("_", " ")


_TARGET_NAMES = {
    "reply": lazy_gettext("reply"),
    "ban": lazy_gettext("ban"),
    "user": lazy_gettext("user"),
    "settings": lazy_gettext("settings"),
    "webhook": lazy_gettext("webhook"),
}


def audit_target_name(target_type: str) -> str:
    """What kind of items an audit entry is about."""
    name = _TARGET_NAMES.get(str(target_type))
    return str(name) if name is not None else str(target_type)


def status_name(status: str) -> str:
    """A reply's status ("pending", "spam": stored codes) in words."""
    return str(_VALUE_WORDS.get(str(status), status))


_FLAG_REASONS = {
    "spam": lazy_gettext("Spam"),
    "abuse": lazy_gettext("Abuse or harassment"),
    "harmful": lazy_gettext("Harmful advice"),
    "other": lazy_gettext("Something else"),
}


def flag_reason_label(reason: str) -> str:
    """Why a reader reported a reply, as moderators read it."""
    name = _FLAG_REASONS.get(str(reason))
    return str(name) if name is not None else str(reason)


_VERDICT_NAMES = {
    "pass": lazy_gettext("pass"),
    "hold": lazy_gettext("hold"),
    "spam": lazy_gettext("spam"),
}


def verdict_name(verdict: str) -> str:
    """A trace step's verdict ("pass", "hold", "spam": stored codes) in words."""
    name = _VERDICT_NAMES.get(verdict)
    return str(name) if name is not None else verdict


def record_counts(history: AuthorHistory) -> str:
    """ "3 approved · 1 pending · 0 spam · 0 trash": an author's record on a queue card (in
    Python, as Jinja's ngettext costs several times more and the queue shows 50 of them)."""
    return " · ".join(
        [
            ngettext("%(num)d approved", "%(num)d approved", history.approved),
            ngettext("%(num)d pending", "%(num)d pending", history.pending),
            ngettext("%(num)d spam", "%(num)d spam", history.spam),
            ngettext("%(num)d trash", "%(num)d trash", history.trash),
        ]
    )


def trace_detail(step: dict[str, Any]) -> str:
    """A trace step's detail in the reader's language; older steps have only English."""
    if "phrase" in step:
        return shown(step["phrase"])
    return str(step.get("detail", ""))


def first_decision(trace: list[dict[str, Any]]) -> str:
    """What the rules decided when the reply was posted, from its trace."""
    if not trace:
        return _("Posted with no record of the rules’ decision")
    if trace[0].get("rule") == "staff":
        return _("Posted by staff, so the rules were skipped")
    worst = max(trace, key=lambda step: _SEVERITY.get(str(step.get("verdict")), 0))
    verdict = str(worst.get("verdict"))
    if verdict == "pass":
        return _("Approved on posting: it passed every rule")
    rule, detail = str(worst.get("rule")), trace_detail(worst)
    words = _FIRST.get((rule, verdict))
    if words is not None:
        return words(detail)
    if verdict == "spam":
        return _(
            "Sent to spam by the “%(rule)s” rule (%(detail)s)", rule=rule_name(rule), detail=detail
        )
    return _("Held by the “%(rule)s” rule (%(detail)s)", rule=rule_name(rule), detail=detail)


def decision_summary(reply: Reply) -> str:
    """One sentence: the rules' decision, then what moderators (or reports) did since."""
    first = first_decision(reply.decision_trace or [])
    if reply.moderated_at is None:
        return _("%(decision)s.", decision=first)
    when = exact_time(reply.moderated_at)
    if reply.moderated_by is not None:
        return _THEN_BY[reply.status](first, reply.moderated_by.display_name, when)
    if reply.held_reason == FLAGGED and reply.status is ReplyStatus.PENDING:
        return _(
            "%(decision)s, then hidden by readers’ reports on %(when)s.", decision=first, when=when
        )
    return _THEN[reply.status](first, when)


# action: (what it did to N replies, what "nothing changed" means)
_BRANCH_DONE: dict[str, tuple[Callable[[int], str], Callable[[], str]]] = {
    "hold": (
        lambda n: ngettext(
            "Held %(num)d reply in this branch: they wait in Pending.",
            "Held %(num)d replies in this branch: they wait in Pending.",
            n,
        ),
        lambda: _("Nothing changed: none of it was approved."),
    ),
    "trash": (
        lambda n: ngettext(
            "Trashed %(num)d reply in this branch.", "Trashed %(num)d replies in this branch.", n
        ),
        lambda: _("Nothing changed: it was already in the trash."),
    ),
    "lock": (
        lambda n: ngettext(
            "Locked %(num)d reply in this branch: nobody can reply under them.",
            "Locked %(num)d replies in this branch: nobody can reply under them.",
            n,
        ),
        lambda: _("Nothing changed: it was already locked."),
    ),
    "unlock": (
        lambda n: ngettext(
            "Unlocked %(num)d reply in this branch: replies are open again.",
            "Unlocked %(num)d replies in this branch: replies are open again.",
            n,
        ),
        lambda: _("Nothing changed: it was not locked."),
    ),
    "collapse": (
        lambda n: _("Collapsed the branch: readers see it folded."),
        lambda: _("Nothing changed: it was already collapsed."),
    ),
}


def branch_message(action: str, changed: int) -> str:
    """The confirmation of a branch action: what happened, to how many replies."""
    words = _BRANCH_DONE.get(action)
    if words is None:
        if not changed:
            return _("Nothing changed: nothing applied.")
        return ngettext(
            "%(action)s: %(num)d reply.", "%(action)s: %(num)d replies.", changed, action=action
        )
    done, nothing = words
    return done(changed) if changed else nothing()


def group_message(reason: str, changed: int, skipped: int) -> str:
    """The confirmation of "Approve all N" in one group of held replies."""
    label = rule_name(reason)
    message = ngettext(
        "Approved all %(num)d reply held as “%(label)s”.",
        "Approved all %(num)d replies held as “%(label)s”.",
        changed,
        label=label,
    )
    if not changed:
        message = _("Nothing changed: no reply is held as “%(label)s” any more.", label=label)
    if skipped:
        message = ngettext(
            "%(message)s %(num)d skipped (changed meanwhile).",
            "%(message)s %(num)d skipped (changed meanwhile).",
            skipped,
            message=message,
        )
    return message


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
# Stored codes (statuses, roles) as values in an audit entry, in words.
_VALUE_WORDS = {
    "pending": lazy_gettext("pending"),
    "approved": lazy_gettext("approved"),
    "spam": lazy_gettext("spam"),
    "trash": lazy_gettext("trash"),
    "admin": lazy_gettext("admin"),
    "moderator": lazy_gettext("moderator"),
    "member": lazy_gettext("member"),
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
    if text in _VALUE_WORDS:
        return str(_VALUE_WORDS[text])
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
