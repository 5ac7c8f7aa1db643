"""Spam classifier math: an in-memory naive Bayes model, and evaluation.

No database here. `spam.py` stores the same counts in `spam_token` and calls the same functions,
so the math lives once.

The model is Bernoulli-style naive Bayes over unique tokens: for each class it counts the
documents containing each token, and scores P(token present | class) with Laplace smoothing,
(count + 1) / (documents + 2). Only tokens the model has seen contribute; absent tokens are
ignored. The class prior is Laplace-smoothed too. The raw score (`log_odds`) averages the
tokens' log-likelihood ratios; `spam_calibration` turns it into a calibrated probability.
`spam_probability` (the sigmoid of the raw score) stays for uncalibrated use; with no
documents at all it is 0.5. Counts make learning, un-learning and leave-one-out exact.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import TypeVar

from forum.services.moderation.spam_features import Example
from forum.services.moderation.spam_features import example_features
from forum.services.moderation.spam_seed import SEED
from forum.services.moderation.spam_text import GRAM

# Each character sits in GRAM overlapping n-grams: weighing each by 1/GRAM gives a misspelled
# word about one vote per character, instead of letting n-grams outvote whole words.
GRAM_WEIGHT = 1 / GRAM
Counts = tuple[int, int]  # (spam, ham): documents of each class, in total or containing a token
T = TypeVar("T")


def shift(counts: Counts, delta: Counts) -> Counts:
    """Counts plus a (possibly negative) change, never below zero."""
    return max(0, counts[0] + delta[0]), max(0, counts[1] + delta[1])


def document_delta(
    tokens: Iterable[str], *, is_spam: bool, sign: int = 1
) -> tuple[dict[str, Counts], Counts]:
    """The change one document makes to the token counts and to the totals."""
    one = (sign, 0) if is_spam else (0, sign)
    return {token: one for token in tokens}, one


def contributions(
    rows: Mapping[str, Counts], totals: Counts, tokens: Iterable[str]
) -> dict[str, float]:
    """How far each seen token moves the log-odds of spam (positive: towards spam)."""
    spam_docs, ham_docs = totals
    moved = {}
    for token in set(tokens):
        spam, ham = rows.get(token, (0, 0))
        if spam + ham == 0:
            continue
        weight = GRAM_WEIGHT if token.startswith("g:") else 1.0
        moved[token] = weight * (
            math.log((spam + 1) / (spam_docs + 2)) - math.log((ham + 1) / (ham_docs + 2))
        )
    return moved


def log_odds(rows: Mapping[str, Counts], totals: Counts, tokens: Iterable[str]) -> float:
    """The prior log-odds of spam plus the mean log-likelihood ratio of the seen tokens.

    The mean, not naive Bayes' sum: the sum grows with the length of the text, so a short
    honest reply looked as unsure as long spam that imitates one. Calibration then maps this
    score to a probability; 0 when the model holds no documents.
    """
    return log_odds_of(contributions(rows, totals, tokens), totals)


def log_odds_of(moved: Mapping[str, float], totals: Counts) -> float:
    """log_odds from the tokens' contributions, for a caller that also explains them."""
    spam_docs, ham_docs = totals
    if spam_docs + ham_docs == 0:
        return 0.0
    prior = math.log((spam_docs + 1) / (ham_docs + 1))
    return prior + sum(moved.values()) / max(len(moved), 1)


def spam_probability(rows: Mapping[str, Counts], totals: Counts, tokens: Iterable[str]) -> float:
    """P(spam | tokens), summed in log space; 0.5 when the model holds no documents."""
    return sigmoid(log_odds(rows, totals, tokens))


def sigmoid(x: float) -> float:
    """Logistic function that neither overflows nor underflows to an error."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@dataclass
class SpamModel:
    """Naive Bayes counts held in memory: for tests, evaluation and seeding."""

    tokens: dict[str, Counts] = field(default_factory=dict)
    totals: Counts = (0, 0)

    @classmethod
    def trained_on(cls, examples: Iterable[Example]) -> SpamModel:
        """A fresh model trained on the examples."""
        model = cls()
        for example in examples:
            model.learn(example_features(example), is_spam=example.is_spam)
        return model

    def apply(self, deltas: Mapping[str, Counts], totals: Counts) -> None:
        """Add changes to the counts; tokens that fall back to zero are dropped."""
        for token, delta in deltas.items():
            counts = shift(self.tokens.get(token, (0, 0)), delta)
            if counts == (0, 0):
                self.tokens.pop(token, None)
            else:
                self.tokens[token] = counts
        self.totals = shift(self.totals, totals)

    def learn(self, tokens: Iterable[str], *, is_spam: bool) -> None:
        """Count one document."""
        self.apply(*document_delta(tokens, is_spam=is_spam))

    def unlearn(self, tokens: Iterable[str], *, is_spam: bool) -> None:
        """Take back one document counted by learn()."""
        self.apply(*document_delta(tokens, is_spam=is_spam, sign=-1))

    def score(self, tokens: Iterable[str]) -> float:
        """P(spam) for these tokens."""
        return spam_probability(self.tokens, self.totals, tokens)

    def log_odds(self, tokens: Iterable[str]) -> float:
        """Uncalibrated log-odds of spam for these tokens."""
        return log_odds(self.tokens, self.totals, tokens)


def log_odds_without(
    rows: Mapping[str, Counts], totals: Counts, tokens: Sequence[str], is_spam: bool
) -> float:
    """The log-odds of a learned document had it never been learned (leave-one-out)."""
    minus = (-1, 0) if is_spam else (0, -1)
    without = {token: shift(rows.get(token, (0, 0)), minus) for token in tokens}
    return log_odds(without, shift(totals, minus), tokens)


def seed_examples() -> list[Example]:
    """The built-in seed set, as examples."""
    return [Example(*row) for row in SEED]


def split(items: Sequence[T], every: int = 5) -> tuple[list[T], list[T]]:
    """Deterministic split: every `every`-th item (by position) is held out."""
    train = [item for i, item in enumerate(items) if i % every != every - 1]
    held = [item for i, item in enumerate(items) if i % every == every - 1]
    return train, held


@dataclass(frozen=True)
class Metrics:
    """How well scores at or above `threshold`, read as spam, match the labels."""

    tp: int
    fp: int
    tn: int
    fn: int
    threshold: float

    @property
    def total(self) -> int:
        """Number of examples measured."""
        return self.tp + self.fp + self.tn + self.fn

    @property
    def precision(self) -> float:
        """Share of predicted spam that was spam; 0.0 when nothing was predicted spam."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Share of spam that was caught; 0.0 when there was no spam."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def accuracy(self) -> float:
        """Share of all examples classified right; 0.0 with no examples."""
        return (self.tp + self.tn) / self.total if self.total else 0.0


def measure(results: Iterable[tuple[float, bool]], threshold: float = 0.5) -> Metrics:
    """Metrics from (score, is_spam) pairs."""
    tp = fp = tn = fn = 0
    for probability, is_spam in results:
        predicted = probability >= threshold
        tp += predicted and is_spam
        fp += predicted and not is_spam
        tn += not predicted and not is_spam
        fn += not predicted and is_spam
    return Metrics(tp=tp, fp=fp, tn=tn, fn=fn, threshold=threshold)
