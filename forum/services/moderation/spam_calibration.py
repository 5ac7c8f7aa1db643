"""Turning the filter's log-odds into calibrated probabilities and the thresholds that act on them.

Pure functions, fitted on held-out moderator decisions (replies the model never learned from):

- Platt scaling maps log-odds to a probability that matches how often such scores were spam.
- "Straight to spam" starts just above the honest held-out reply at the rank the site allows
  (a share of honest replies, default 0.5 %): with 200 honest held-out replies and 0.5 %, the
  threshold sits above the highest-scoring one.
- "Hold" starts as low as the share of honest replies the site lets wait for review (5 %)
  allows: spam the filter is unsure of waits for a person instead of being approved.
- Below a minimum number of decisions of each kind, nothing goes straight to spam.

Thresholds are kept in log-odds, where scores do not saturate at 1.0.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from functools import cache

from forum.services.moderation.spam_features import example_features
from forum.services.moderation.spam_model import SpamModel
from forum.services.moderation.spam_model import log_odds_without
from forum.services.moderation.spam_model import seed_examples
from forum.services.moderation.spam_model import sigmoid

DEFAULT_HONEST_SHARE = 0.005  # as ModerationSettings' defaults
DEFAULT_HOLD_SHARE = 0.05

UNFITTED_HOLD = math.log(9)  # before any fit: hold at an uncalibrated P(spam) of 0.9


@dataclass(frozen=True)
class Rates:
    """What the thresholds do to held-out decisions."""

    spam: int = 0
    honest: int = 0
    caught: float = 0.0  # share of spam sent straight to spam
    spam_held: float = 0.0
    honest_to_spam: float = 0.0
    honest_held: float = 0.0


@dataclass(frozen=True)
class Calibration:
    slope: float = 1.0
    offset: float = 0.0
    spam_at: float | None = None  # log-odds at or above: straight to spam; None: never
    hold_at: float = UNFITTED_HOLD  # log-odds at or above (below spam_at): hold for review
    decisions: tuple[int, int] = (0, 0)  # moderator decisions (spam, honest) when fitted
    rates: Rates = field(default_factory=Rates)
    fitted_at: str | None = None
    lessons: int = 0  # documents in the model when fitted: re-fit after enough new ones

    def probability(self, log_odds: float) -> float:
        """The calibrated P(spam) of a raw log-odds score."""
        return sigmoid(self.slope * log_odds + self.offset)

    def verdict(self, log_odds: float, min_decisions: int) -> str:
        """ "spam", "hold" or "pass"; never "spam" before enough decisions of each kind."""
        enough = min(self.decisions) >= min_decisions
        if enough and self.spam_at is not None and log_odds >= self.spam_at:
            return "spam"
        if log_odds >= self.hold_at or (self.spam_at is not None and log_odds >= self.spam_at):
            return "hold"
        return "pass"


def platt(scored: Sequence[tuple[float, bool]], steps: int = 50) -> tuple[float, float]:
    """(slope, offset) of P = sigmoid(slope * x + offset), fitted by damped Newton steps.

    Targets are Platt's smoothed ones, (n+ + 1)/(n+ + 2) and 1/(n- + 2), so perfectly separated
    held-out scores still give a finite slope; each step is halved until the loss falls.
    """
    positives = sum(1 for _, is_spam in scored if is_spam)
    negatives = len(scored) - positives
    targets = [
        (x, (positives + 1) / (positives + 2) if is_spam else 1 / (negatives + 2))
        for x, is_spam in scored
    ]
    slope, offset = 0.0, math.log((positives + 1) / (negatives + 1))
    loss = _loss(targets, slope, offset)
    for _ in range(steps):
        d_slope, d_offset = _newton_step(targets, slope, offset)
        step = 1.0
        while step > 1e-6:
            trial = _loss(targets, slope - step * d_slope, offset - step * d_offset)
            if trial < loss:
                break
            step /= 2
        else:
            break
        slope, offset, loss = slope - step * d_slope, offset - step * d_offset, trial
    return slope, offset


def _loss(targets: Sequence[tuple[float, float]], slope: float, offset: float) -> float:
    """Cross-entropy of the smoothed targets under the fit."""
    total = 0.0
    for x, target in targets:
        p = min(max(sigmoid(slope * x + offset), 1e-15), 1 - 1e-15)
        total -= target * math.log(p) + (1 - target) * math.log(1 - p)
    return total


def _newton_step(
    targets: Sequence[tuple[float, float]], slope: float, offset: float
) -> tuple[float, float]:
    """The Newton direction for (slope, offset), with a little ridge for a safe inverse."""
    g_a = g_b = h_aa = h_ab = h_bb = 0.0
    for x, target in targets:
        p = sigmoid(slope * x + offset)
        error, weight = p - target, max(p * (1 - p), 1e-12)
        g_a, g_b = g_a + error * x, g_b + error
        h_aa, h_ab, h_bb = h_aa + weight * x * x, h_ab + weight * x, h_bb + weight
    h_aa, h_bb = h_aa + 1e-6, h_bb + 1e-6
    det = h_aa * h_bb - h_ab * h_ab
    return (h_bb * g_a - h_ab * g_b) / det, (h_aa * g_b - h_ab * g_a) / det


def _just_above(rank_score: float, scores: Sequence[float]) -> float:
    """A threshold strictly above `rank_score`: halfway to the next higher score seen."""
    higher = [s for s in scores if s > rank_score]
    return (rank_score + min(higher)) / 2 if higher else rank_score + 1.0


def _share_threshold(honest: Sequence[float], share: float, scores: Sequence[float]) -> float:
    """A threshold that a new honest reply reaches with probability at most `share`.

    The conformal rule: above the ceil((n + 1)(1 - share))-th lowest of n honest scores; when
    that rank is past the highest, above the highest (as sure as n replies can make it).
    """
    ranked = sorted(honest)
    rank = math.ceil((len(ranked) + 1) * (1 - share) - 1e-9)
    if rank <= 0:
        return min(scores) - 1.0
    return _just_above(ranked[min(rank, len(ranked)) - 1], scores)


def fit(
    scored: Sequence[tuple[float, bool]],
    *,
    decisions: tuple[int, int],
    honest_share: float,
    hold_share: float,
    fitted_at: str | None = None,
    lessons: int = 0,
) -> Calibration:
    """Calibration and thresholds from held-out (log-odds, is_spam) pairs."""
    spam = [x for x, is_spam in scored if is_spam]
    honest = [x for x, is_spam in scored if not is_spam]
    if not spam or not honest:
        return Calibration(decisions=decisions, fitted_at=fitted_at, lessons=lessons)
    scores = [x for x, _ in scored]
    slope, offset = platt(scored)
    spam_at = _share_threshold(honest, honest_share, scores)
    hold_at = min(_share_threshold(honest, hold_share, scores), spam_at)
    return Calibration(
        slope=slope,
        offset=offset,
        spam_at=spam_at,
        hold_at=hold_at,
        decisions=decisions,
        rates=measure(scored, spam_at, hold_at),
        fitted_at=fitted_at,
        lessons=lessons,
    )


def measure(scored: Sequence[tuple[float, bool]], spam_at: float | None, hold_at: float) -> Rates:
    """Shares of spam caught and held, and of honest replies sent to spam and held."""
    spam = [x for x, is_spam in scored if is_spam]
    honest = [x for x, is_spam in scored if not is_spam]
    top = math.inf if spam_at is None else spam_at

    def share(values: list[float], low: float, high: float = math.inf) -> float:
        return sum(1 for x in values if low <= x < high) / len(values) if values else 0.0

    return Rates(
        spam=len(spam),
        honest=len(honest),
        caught=share(spam, top),
        spam_held=share(spam, hold_at, top),
        honest_to_spam=share(honest, top),
        honest_held=share(honest, hold_at, top),
    )


def calibration_from(value: object) -> Calibration:
    """A stored calibration; the unfitted one when absent or unreadable."""
    if not isinstance(value, dict):
        return seed_calibration()
    try:
        rates = Rates(**value.get("rates", {}))
        decisions = tuple(value.get("decisions", (0, 0)))
        known = {k: v for k, v in value.items() if k not in {"rates", "decisions"}}
        return Calibration(**known, rates=rates, decisions=(int(decisions[0]), int(decisions[1])))
    except (TypeError, ValueError, IndexError):
        return seed_calibration()


@cache
def seed_calibration() -> Calibration:
    """Before the site's first fit: calibrated on the seed set, each example left out in turn.

    It counts no decisions, so it only ever holds: nothing goes straight to spam on it.
    """
    model = SpamModel.trained_on(seed_examples())
    scored = []
    for example in seed_examples():
        tokens, label = example_features(example), example.is_spam
        scored.append((log_odds_without(model.tokens, model.totals, tokens, label), label))
    return fit(
        scored, decisions=(0, 0), honest_share=DEFAULT_HONEST_SHARE, hold_share=DEFAULT_HOLD_SHARE
    )
