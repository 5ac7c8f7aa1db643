"""Moderation records told in words: why a reply has its status, queue tabs, rules and verdicts.

Audit entries are told by audit_words.py."""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Mapping
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
def in_words(table: Mapping[str, object], code: object, otherwise: str | None = None) -> str:
    """A stored code in the reader's words from `table`; an unknown one as `otherwise`, else as
    stored."""
    name = table.get(str(code))
    if name is not None:
        return str(name)
    return str(code) if otherwise is None else otherwise


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
    return in_words(_RULE_NAMES, rule, rule.replace("_", " "))


_TAB_LABELS = {
    "pending": lazy_gettext("Pending"),
    "flagged": lazy_gettext("Flagged"),
    "spam": lazy_gettext("Spam"),
    "approved": lazy_gettext("Approved"),
    "trash": lazy_gettext("Trash"),
}


def tab_label(tab: str) -> str:
    """A queue tab's name (its value is in URLs and stays English)."""
    return in_words(_TAB_LABELS, tab, str(tab).title())


# Stored codes (statuses, roles) in words, in the queue and in audit entries.
STORED_WORDS = {
    "pending": lazy_gettext("pending"),
    "approved": lazy_gettext("approved"),
    "spam": lazy_gettext("spam"),
    "trash": lazy_gettext("trash"),
    "admin": lazy_gettext("admin"),
    "moderator": lazy_gettext("moderator"),
    "member": lazy_gettext("member"),
}


def status_name(status: str) -> str:
    """A reply's status ("pending", "spam": stored codes) in words."""
    return in_words(STORED_WORDS, status)


_FLAG_REASONS = {
    "spam": lazy_gettext("Spam"),
    "abuse": lazy_gettext("Abuse or harassment"),
    "harmful": lazy_gettext("Harmful advice"),
    "other": lazy_gettext("Something else"),
}


def flag_reason_label(reason: str) -> str:
    """Why a reader reported a reply, as moderators read it."""
    return in_words(_FLAG_REASONS, reason)


_VERDICT_NAMES = {
    "pass": lazy_gettext("pass"),
    "hold": lazy_gettext("hold"),
    "spam": lazy_gettext("spam"),
}


def verdict_name(verdict: str) -> str:
    """A trace step's verdict ("pass", "hold", "spam": stored codes) in words."""
    return in_words(_VERDICT_NAMES, verdict)


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
