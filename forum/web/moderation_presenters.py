"""Moderation records told in words: why a reply has its status, what an audit entry changed."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

from forum.models import Reply
from forum.models import ReplyStatus
from forum.services.moderation.flags import FLAGGED
from forum.web.filters import exact_time

_SEVERITY = {verdict: rank for rank, verdict in enumerate(("pass", "hold", "spam"))}
# How the rules' first decision reads, by the rule that made it and its verdict.
_FIRST: dict[tuple[str, str], str] = {
    ("first_time", "hold"): "Held as a first reply",
    ("links", "hold"): "Held for its links ({detail})",
    ("keyword", "hold"): "Held for a moderation keyword ({detail})",
    ("hold_all", "hold"): "Held, as every reply is",
    ("spam_score", "hold"): "Held for its spam score ({detail})",
    ("spam_score", "spam"): "Sent to spam by its spam score ({detail})",
    ("blocklist", "spam"): "Sent to spam by the blocklist ({detail})",
}
_DONE = {
    ReplyStatus.APPROVED: "approved",
    ReplyStatus.PENDING: "held",
    ReplyStatus.SPAM: "marked as spam",
    ReplyStatus.TRASH: "trashed",
}


def first_decision(trace: list[dict[str, Any]]) -> str:
    """What the rules decided when the reply was posted, from its trace."""
    if not trace:
        return "Posted with no record of the rules’ decision"
    if trace[0].get("rule") == "staff":
        return "Posted by staff, so the rules were skipped"
    worst = max(trace, key=lambda step: _SEVERITY.get(str(step.get("verdict")), 0))
    verdict = str(worst.get("verdict"))
    if verdict == "pass":
        return "Approved on posting: it passed every rule"
    rule = str(worst.get("rule"))
    fallback = "Held by the “{rule}” rule ({detail})"
    if verdict == "spam":
        fallback = "Sent to spam by the “{rule}” rule ({detail})"
    template = _FIRST.get((rule, verdict), fallback)
    return template.format(rule=rule.replace("_", " "), detail=worst.get("detail", ""))


def decision_summary(reply: Reply) -> str:
    """One sentence: the rules' decision, then what moderators (or reports) did since."""
    first = first_decision(reply.decision_trace or [])
    if reply.moderated_at is None:
        return f"{first}."
    when = exact_time(reply.moderated_at)
    if reply.moderated_by is not None:
        done = _DONE[reply.status]
        return f"{first}, then {done} by {reply.moderated_by.display_name} on {when}."
    if reply.held_reason == FLAGGED and reply.status is ReplyStatus.PENDING:
        return f"{first}, then hidden by readers’ reports on {when}."
    return f"{first}, then {_DONE[reply.status]} on {when}."


def _replies(count: int) -> str:
    return f"{count} {'reply' if count == 1 else 'replies'}"


# action: (what it did to N replies, what "nothing changed" means)
_BRANCH_DONE = {
    "hold": ("Held {n} in this branch: they wait in Pending.", "none of it was approved"),
    "trash": ("Trashed {n} in this branch.", "it was already in the trash"),
    "lock": ("Locked {n} in this branch: nobody can reply under them.", "it was already locked"),
    "unlock": ("Unlocked {n} in this branch: replies are open again.", "it was not locked"),
    "collapse": ("Collapsed the branch: readers see it folded.", "it was already collapsed"),
}


def branch_message(action: str, changed: int) -> str:
    """The confirmation of a branch action: what happened, to how many replies."""
    done, nothing = _BRANCH_DONE.get(action, (f"{action}: {{n}}.", "nothing applied"))
    if not changed:
        return f"Nothing changed: {nothing}."
    return done.format(n=_replies(changed))


def group_message(reason: str, changed: int, skipped: int) -> str:
    """The confirmation of "Approve all N" in one group of held replies."""
    label = reason.replace("_", " ")
    message = f"Approved all {_replies(changed)} held as “{label}”."
    if not changed:
        message = f"Nothing changed: no reply is held as “{label}” any more."
    if skipped:
        message += f" {skipped} skipped (changed meanwhile)."
    return message


_FIELD_NAMES = {
    "held_reason": "held reason",
    "locked_at": "locked",
    "ip_range": "IP range",
    "body": "text",
    "ban_id": "ban",
    "user_id": "account",
    "parent_id": "in reply to",
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
        lines = [*lines[: _MAX_LINES - 1], f"and {len(lines) - _MAX_LINES + 1} more changes"]
    return lines


def _change(key: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """One field's line; empty when it did not change (settings entries keep every field)."""
    old, new = _words(before.get(key), key), _words(after.get(key), key)
    name = _FIELD_NAMES.get(key, key.replace("_", " "))
    if old == new:
        return ""
    if key == "locked_at":  # a time when locked, nothing when not
        unlocked = ("", "none")
        return f"{name}: {'no' if old in unlocked else old} → {'no' if new in unlocked else new}"
    if not old:
        return f"{name}: {new}"
    if key not in after:
        return f"{name} before: {old}"
    return f"{name}: {old} → {new or 'none'}"


def _words(value: Any, key: str = "") -> str:
    """One stored value in words: per-reply maps summarised, times and lists written out."""
    if value is None or value == {} or value == []:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int) and key.endswith("_id"):
        return f"#{value}"
    if isinstance(value, dict):
        return _summary([_words(v) or "none" for v in value.values()])
    if isinstance(value, list):
        shown = ", ".join(f"#{v}" if isinstance(v, int) else _words(v) for v in value[:10])
        return shown + (f" and {len(value) - 10} more" if len(value) > 10 else "")
    text = str(value)
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
