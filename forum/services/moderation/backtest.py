"""Rule backtesting: what proposed rules would have done to recent replies, against what the
moderators actually decided ("would hold 412; you approved 380 of them")."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from dataclasses import field
from datetime import datetime
from datetime import timedelta

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import VerifiedEmail
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.services.moderation import spam
from forum.services.moderation.draft import Draft
from forum.services.moderation.rules import decide
from forum.services.moderation.spam_calibration import Calibration
from forum.services.site_settings import ModerationSettings

MAX_REPLIES = 5_000


@dataclass
class Backtest:
    days: int
    total: int = 0
    # (what the rules would decide, where the reply is now): count
    outcomes: Counter[tuple[str, str]] = field(default_factory=Counter)
    reasons: Counter[str] = field(default_factory=Counter)

    def would(self, status: str) -> int:
        return sum(n for (predicted, _), n in self.outcomes.items() if predicted == status)

    def would_then(self, status: str, actual: str) -> int:
        return self.outcomes[(status, actual)]


def backtest(rules: ModerationSettings, days: int = 30) -> Backtest:
    """Replay the last `days` of replies through `rules`; refusals and staff are left out."""
    since = utcnow() - timedelta(days=days)
    replies = list(
        db.session.scalars(
            select(Reply)
            .where(Reply.created_at >= since)
            .options(joinedload(Reply.author), joinedload(Reply.post))
            .order_by(Reply.created_at)
            .limit(MAX_REPLIES)
        )
    )
    first_approved = _first_approved_times()
    _, calibration = spam.load_state()
    result = Backtest(days=days)
    for reply in replies:
        if reply.author is not None and reply.author.is_moderator:
            continue
        decision = decide(_draft(reply, first_approved, calibration), rules)
        result.total += 1
        result.outcomes[(decision.status.value, reply.status.value)] += 1
        if decision.reason:
            result.reasons[decision.reason] += 1
    return result


def _first_approved_times() -> dict[str, datetime]:
    """When each account, or confirmed guest email, first had a reply approved: one query."""
    email = func.lower(Reply.guest_email)
    confirmed = or_(Reply.author_id.is_not(None), email.in_(select(VerifiedEmail.email)))
    rows = db.session.execute(
        select(Reply.author_id, email, func.min(Reply.created_at))
        .where(Reply.status == ReplyStatus.APPROVED, confirmed)
        .group_by(Reply.author_id, email)
    ).all()
    return {_key(author_id, guest_email): first for author_id, guest_email, first in rows}


def _key(author_id: int | None, email: str | None) -> str:
    return f"user:{author_id}" if author_id is not None else f"email:{(email or '').lower()}"


def _draft(reply: Reply, first_approved: dict[str, datetime], calibration: Calibration) -> Draft:
    """A stored reply as the rules saw it then: its score, and only the approvals before it."""
    first = first_approved.get(_key(reply.author_id, reply.guest_email))
    return Draft(
        actor=Actor(user=reply.author, guest_token=reply.guest_token, ip_address=reply.ip_address),
        post=reply.post,
        parent=None,
        body_source=reply.body_source,
        guest_name=reply.guest_name,
        guest_email=reply.guest_email,
        guest_url=reply.guest_url,
        as_of=reply.created_at,
        known_spam_score=reply.spam_score or 0.0,
        known_previously_approved=first is not None and first < reply.created_at,
        known_calibration=calibration,
    )
