"""Re-fitting the spam filter's calibration and thresholds on the site's own decisions.

Every decided reply is scored as if the model had never learned it (leave-one-out: its own
counts subtracted, exact for naive Bayes), so all decisions both teach and measure. The fit is
stored in the `spam_calibration` setting. `refit_thresholds()` commits and is what a schedule
(`porch spam refit`, the task engine) calls; `stage_refit()` runs inside a moderation action
every few dozen lessons (see lessons.py).
"""

from __future__ import annotations

from dataclasses import asdict
from dataclasses import dataclass
from dataclasses import replace

from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models.base import utcnow
from forum.services import site_settings
from forum.services.moderation import spam
from forum.services.moderation.spam_calibration import Calibration
from forum.services.moderation.spam_calibration import Rates
from forum.services.moderation.spam_calibration import fit
from forum.services.moderation.spam_calibration import seed_calibration
from forum.services.moderation.spam_features import example_features
from forum.services.moderation.spam_model import log_odds
from forum.services.moderation.spam_model import log_odds_without
from forum.services.site_settings import ModerationSettings

MAX_FITTED = 2_000  # most recent decisions scored per fit
CHUNK = 2_000  # tokens per IN query


def lessons_since_fit() -> int:
    """Documents the model learned (or forgot) since the thresholds were last fitted."""
    totals, calibration = spam.load_state()
    return abs(sum(totals or (0, 0)) - calibration.lessons)


def refit_thresholds() -> Calibration:
    """Fit calibration and thresholds on the site's decisions, store them and COMMIT."""
    calibration = stage_refit()
    db.session.commit()
    return calibration


def stage_refit() -> Calibration:
    """Fit and stage the calibration in the caller's transaction."""
    settings = site_settings.moderation_settings()
    totals, _ = spam.load_state()
    counts = totals or (0, 0)
    scored = _scored(counts)
    fitted_at = utcnow().strftime("%Y-%m-%d %H:%M UTC")
    if len({is_spam for _, is_spam in scored}) < 2:  # no decision of one kind: keep the seed's
        calibration = replace(
            seed_calibration(), decisions=decision_counts(), lessons=sum(counts), rates=Rates()
        )
    else:
        calibration = fit(
            scored,
            decisions=decision_counts(),
            honest_share=settings.spam_honest_percent / 100,
            hold_share=settings.spam_hold_percent / 100,
            fitted_at=fitted_at,
            lessons=sum(counts),
        )
    site_settings.write_setting(spam.CALIBRATION_KEY, _stored(calibration))
    return calibration


def decision_counts() -> tuple[int, int]:
    """(spam, honest) moderator decisions the filter has recorded, taught or not."""
    rows = db.session.execute(
        select(Reply.status, func.count())
        .where(Reply.spam_lesson.is_not(None), Reply.status.in_(_DECIDED))
        .group_by(Reply.status)
    ).all()
    by_status = dict(rows)
    return int(by_status.get(ReplyStatus.SPAM, 0)), int(by_status.get(ReplyStatus.APPROVED, 0))


_DECIDED = (ReplyStatus.SPAM, ReplyStatus.APPROVED)


def _scored(totals: tuple[int, int]) -> list[tuple[float, bool]]:
    """(log-odds without itself, is spam) of the most recent decided replies."""
    query = (
        select(Reply)
        .options(selectinload(Reply.author))
        .where(Reply.spam_lesson.is_not(None), Reply.status.in_(_DECIDED))
        .order_by(Reply.moderated_at.desc().nulls_last(), Reply.id.desc())
        .limit(MAX_FITTED)
    )
    replies = list(db.session.scalars(query))
    features = [example_features(spam.reply_example(reply)) for reply in replies]
    wanted = sorted({token for tokens in features for token in tokens})
    rows: dict[str, tuple[int, int]] = {}
    for start in range(0, len(wanted), CHUNK):
        rows.update(spam.token_counts(wanted[start : start + CHUNK]))
    scored = []
    for reply, tokens in zip(replies, features, strict=True):
        is_spam = reply.status == ReplyStatus.SPAM
        if reply.spam_lesson in spam.TAUGHT:
            scored.append((log_odds_without(rows, totals, tokens, is_spam), is_spam))
        else:  # recorded with weight nought: the model never saw it
            scored.append((log_odds(rows, totals, tokens), is_spam))
    return scored


def _stored(calibration: Calibration) -> dict[str, object]:
    """The calibration as a JSON setting value."""
    value = asdict(calibration)
    value["decisions"] = list(calibration.decisions)
    return value


@dataclass(frozen=True)
class FilterSummary:
    """What the rules page says about the filter: its fit and the rates it measured."""

    calibration: Calibration
    min_decisions: int
    spam_at: float | None  # calibrated probabilities of the thresholds
    hold_at: float

    @property
    def enough(self) -> bool:
        return min(self.calibration.decisions) >= self.min_decisions


def spam_filter_summary(settings: ModerationSettings) -> FilterSummary:
    """The stored fit, with its thresholds as calibrated probabilities."""
    _, calibration = spam.load_state()
    spam_at = calibration.spam_at
    return FilterSummary(
        calibration=calibration,
        min_decisions=settings.spam_min_decisions,
        spam_at=calibration.probability(spam_at) if spam_at is not None else None,
        hold_at=calibration.probability(calibration.hold_at),
    )
