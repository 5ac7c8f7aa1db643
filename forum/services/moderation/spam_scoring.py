"""Scoring a new reply: calibrated probability, verdict and the reasons, in constant queries.

Three statements whatever the text: the model's two setting rows (totals and calibration),
how often the same text arrived in the last day, and the counts of every token in one `IN`.
What the site showed at that moment ("repeat:2+", "linkhost:unseen") is returned as context,
stored in the decision trace and learned with the reply, so un-learning takes back exactly it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Reply
from forum.models.base import utcnow
from forum.models.reply import body_digest
from forum.phrases import Phrase
from forum.services.moderation import spam
from forum.services.moderation.draft import Draft
from forum.services.moderation.lookups import REPEAT_WINDOW
from forum.services.moderation.lookups import same_text_since
from forum.services.moderation.spam_calibration import Calibration
from forum.services.moderation.spam_explain import explain_phrases
from forum.services.moderation.spam_features import REPEAT_ONCE
from forum.services.moderation.spam_features import REPEAT_TEN
from forum.services.moderation.spam_features import REPEAT_TWICE
from forum.services.moderation.spam_features import UNSEEN_HOST
from forum.services.moderation.spam_features import hosts_of
from forum.services.moderation.spam_model import contributions
from forum.services.moderation.spam_model import log_odds_of
from forum.services.site_settings import ModerationSettings


@dataclass(frozen=True)
class Assessment:
    probability: float  # calibrated P(spam)
    verdict: str  # "spam", "hold" or "pass"
    reasons: list[Phrase]  # the features that moved the score most, in words
    context: tuple[str, ...]  # site context learned with the reply
    enough_decisions: bool


def repeat_context(count: int) -> tuple[str, ...]:
    """The repetition token for a text seen `count` times in the last day."""
    if count >= 10:
        return (REPEAT_TEN,)
    return (REPEAT_TWICE,) if count >= 2 else (REPEAT_ONCE,) if count else ()


def _repeats(draft: Draft) -> int:
    """Replies with this exact text in the last day, whoever wrote them."""
    since = (draft.as_of or utcnow()) - REPEAT_WINDOW
    text = draft.body_source
    query = select(func.count()).where(*same_text_since(text, body_digest(text), since))
    if draft.as_of is not None:
        query = query.where(Reply.created_at < draft.as_of)
    return int(db.session.scalar(query) or 0)


def assess_draft(draft: Draft, settings: ModerationSettings) -> Assessment:
    """Score a reply about to be stored; seeds the model first on a new site (commits)."""
    found = draft.looked_up  # a new reply's state and repeats, read with the refusals' lookups
    if found is not None:
        totals, calibration = spam.state_from(*found.spam_totals, found.spam_calibration)
    else:
        totals, calibration = spam.load_state()
    # The lookups read the counts of every token the draft could get, its context tokens too;
    # unless the model was seeded since, on a new site.
    stored = found.spam_tokens if found is not None else None
    if totals is None:
        spam.seed_if_empty()
        totals, calibration = spam.load_state()
        stored = None
    repeats = found.repeats if found is not None else _repeats(draft)
    context = repeat_context(repeats)
    features = found.spam_features if found is not None else spam.draft_features(draft)
    tokens = {*features, *context}
    rows = stored if stored is not None else spam.token_counts(tokens | {UNSEEN_HOST})
    if any(rows.get(host, (0, 0)) == (0, 0) for host in hosts_of(draft.body_source)):
        context = (*context, UNSEEN_HOST)
        tokens.add(UNSEEN_HOST)
    counts = totals or (0, 0)
    moved = contributions(rows, counts, tokens)
    raw = log_odds_of(moved, counts)
    reasons = explain_phrases(
        {t: w / max(len(moved), 1) for t, w in moved.items()}, rows, repeats=repeats
    )
    return _assessment(calibration, raw, settings, reasons, context)


def _assessment(
    calibration: Calibration,
    raw: float,
    settings: ModerationSettings,
    reasons: list[Phrase],
    context: tuple[str, ...],
) -> Assessment:
    """The verdict, with the admin's optional floors (spam_threshold, spam_hold_threshold)."""
    probability = calibration.probability(raw)
    verdict = calibration.verdict(raw, settings.spam_min_decisions)
    if verdict == "spam" and probability < settings.spam_threshold:
        verdict = "hold"
    if verdict == "hold" and probability < settings.spam_hold_threshold:
        verdict = "pass"
    return Assessment(
        probability=probability,
        verdict=verdict,
        reasons=reasons,
        context=context,
        enough_decisions=min(calibration.decisions) >= settings.spam_min_decisions,
    )


def known_verdict(
    probability: float, settings: ModerationSettings, calibration: Calibration | None = None
) -> str:
    """The verdict for a score stored earlier (rule backtests), under today's calibration."""
    calibration = calibration or spam.load_state()[1]
    enough = min(calibration.decisions) >= settings.spam_min_decisions
    spam_at = calibration.spam_at
    if (
        enough
        and spam_at is not None
        and probability >= max(calibration.probability(spam_at), settings.spam_threshold)
    ):
        return "spam"
    hold_at = calibration.probability(min(calibration.hold_at, spam_at or calibration.hold_at))
    return "hold" if probability >= max(hold_at, settings.spam_hold_threshold) else "pass"
