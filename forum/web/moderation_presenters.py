"""Moderation records told in words: why a reply has its status, what an audit entry changed."""

from __future__ import annotations

from typing import Any

from forum.models import Reply
from forum.models import ReplyStatus
from forum.services.moderation.flags import FLAGGED
from forum.web.filters import exact_time

_SEVERITY = {"pass": 0, "hold": 1, "spam": 2}
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
        return "Posted before Porch kept the rules’ reasons"
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
