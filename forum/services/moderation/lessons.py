"""Keeps the spam filter's counts equal to what moderators' current decisions say.

Each reply remembers the lesson its status taught: "spam" or "ham" when it was counted,
"spm0" or "ham0" when the decision was recorded but counted with weight nought, None otherwise.
Whenever a moderation action changes statuses, `retrain` takes back the old lesson and teaches
the new one, so repeated, reversed and undone decisions never count twice, and un-learning
subtracts exactly what learning added.

A mass action (a bulk spam of one author's 300 replies, a branch removal) teaches at most
MAX_PER_AUTHOR lessons per author and per identical text: the rest are recorded with weight
nought, so one click cannot swamp what hundreds of single decisions taught.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from forum.models import Reply
from forum.models import ReplyStatus
from forum.services.moderation import spam
from forum.services.moderation.spam_features import example_features
from forum.services.moderation.spam_refit import lessons_since_fit
from forum.services.moderation.spam_refit import stage_refit

MAX_PER_AUTHOR = 3
REFIT_EVERY = 50  # lessons between cheap re-fits of the thresholds, inside the lesson's action
_LESSONS = {ReplyStatus.SPAM: "spam", ReplyStatus.APPROVED: "ham"}
_MUTED = {"spam": "spm0", "ham": "ham0"}


def retrain(replies: Iterable[Reply]) -> None:
    """Make each reply's lesson match its status now (stages changes; the caller commits).

    All the changes of one action go to the model as one batched update.
    """
    per_author: Counter[str] = Counter()
    per_text: Counter[str] = Counter()
    batch: list[tuple[list[str], bool, int]] = []
    for reply in sorted(replies, key=lambda r: r.id):
        wanted = _LESSONS.get(reply.status)
        if reply.spam_lesson == wanted or (wanted and reply.spam_lesson == _MUTED[wanted]):
            continue
        if reply.spam_lesson in spam.TAUGHT:
            batch.append((_tokens(reply), reply.spam_lesson == "spam", -1))
        reply.spam_lesson = None
        if wanted is None:
            continue
        author, text = author_key(reply), reply.body_source.strip().lower()
        per_author[author] += 1
        per_text[text] += 1
        if per_author[author] > MAX_PER_AUTHOR or per_text[text] > MAX_PER_AUTHOR:
            reply.spam_lesson = _MUTED[wanted]
            continue
        batch.append((_tokens(reply), wanted == "spam", 1))
        reply.spam_lesson = wanted
    spam.stage_lessons(batch)
    if any(sign > 0 for _, _, sign in batch):
        _maybe_refit()


def _tokens(reply: Reply) -> list[str]:
    return example_features(spam.reply_example(reply))


def forget(reply: Reply) -> None:
    """Take back this reply's lesson, e.g. before its text changes."""
    if reply.spam_lesson in spam.TAUGHT:
        spam.unlearn_reply(reply, is_spam=reply.spam_lesson == "spam")
    reply.spam_lesson = None


def author_key(reply: Reply) -> str:
    """Who wrote a reply, as far as the site can tell: account, email, browser or address."""
    if reply.author_id is not None:
        return f"user:{reply.author_id}"
    if reply.guest_email:
        return f"email:{reply.guest_email.lower()}"
    return f"guest:{reply.guest_token or reply.ip_address or reply.id}"


def _maybe_refit() -> None:
    """Re-fit the thresholds every REFIT_EVERY lessons, in the caller's transaction."""
    if lessons_since_fit() >= REFIT_EVERY:
        stage_refit()
