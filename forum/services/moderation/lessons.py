"""Keeps the spam filter's counts equal to what moderators' current decisions say.

Each reply remembers the lesson its status taught ("spam" for spam, "ham" for approved, none
otherwise). Whenever a moderation action changes statuses, `retrain` takes back the old lesson
and teaches the new one, so repeated, reversed and undone decisions never count twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from forum.models import Reply
from forum.models import ReplyStatus
from forum.services.moderation import spam

_LESSONS = {ReplyStatus.SPAM: "spam", ReplyStatus.APPROVED: "ham"}


def retrain(replies: Iterable[Reply]) -> None:
    """Make each reply's lesson match its status now (stages changes; the caller commits)."""
    for reply in replies:
        wanted = _LESSONS.get(reply.status)
        if reply.spam_lesson == wanted:
            continue
        forget(reply)
        if wanted is not None:
            spam.learn_reply(reply, is_spam=wanted == "spam")
        reply.spam_lesson = wanted


def forget(reply: Reply) -> None:
    """Take back this reply's lesson, e.g. before its text changes."""
    if reply.spam_lesson is not None:
        spam.unlearn_reply(reply, is_spam=reply.spam_lesson == "spam")
        reply.spam_lesson = None
