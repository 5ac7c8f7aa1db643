"""Spam filter quality: `make bench` prints, after 50, 200 and 600 moderator decisions on the
generated labelled set (tests/spam_corpus.py), what the calibrated thresholds do to the next
200 honest replies and 200 spam, and writes the table into bench/results.md.

As on a site, every decision teaches, and the thresholds are fitted on each decision scored
by the model without it (leave-one-out, exact for naive Bayes counts)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from forum.services.moderation.spam_calibration import Calibration
from forum.services.moderation.spam_calibration import Rates
from forum.services.moderation.spam_calibration import fit
from forum.services.moderation.spam_features import Example
from forum.services.moderation.spam_features import example_features
from forum.services.moderation.spam_model import SpamModel
from forum.services.moderation.spam_model import log_odds_without
from forum.services.moderation.spam_model import seed_examples
from tests.spam_corpus import Site

CURVE = (50, 200, 600)
HONEST_SHARE = 0.005
HOLD_SHARE = 0.05
MIN_DECISIONS = 50
SEEDS = tuple(range(14, 24))
RESULTS = Path(__file__).with_name("results.md")


@dataclass
class Outcome:
    decisions: int
    rates: Rates
    calibration: Calibration


def trained(history: list[Example]) -> tuple[SpamModel, Calibration]:
    """The model and calibration a site has after moderators decided `history`."""
    model = SpamModel.trained_on([*seed_examples(), *history])
    scored = [
        (log_odds_without(model.tokens, model.totals, example_features(e), e.is_spam), e.is_spam)
        for e in history
    ]
    spam = sum(e.is_spam for e in history)
    calibration = fit(
        scored,
        decisions=(spam, len(history) - spam),
        honest_share=HONEST_SHARE,
        hold_share=HOLD_SHARE,
    )
    return model, calibration


def outcome(decisions: int, seed: int) -> Outcome:
    """Train on `decisions` replies of a site, then judge its next 200 honest and 200 spam."""
    site = Site(seed)
    history = site.stream(decisions)
    model, calibration = trained(history)
    honest: list[str] = []
    spam: list[str] = []
    while len(honest) < 200 or len(spam) < 200:
        example = site.stream(1)[0]
        verdict = calibration.verdict(model.log_odds(example_features(example)), MIN_DECISIONS)
        target = spam if example.is_spam else honest
        if len(target) < 200:
            target.append(verdict)
    rates = Rates(
        spam=len(spam),
        honest=len(honest),
        caught=spam.count("spam") / len(spam),
        spam_held=spam.count("hold") / len(spam),
        honest_to_spam=honest.count("spam") / len(honest),
        honest_held=honest.count("hold") / len(honest),
    )
    return Outcome(decisions, rates, calibration)


def _row(decisions: int) -> str:
    """Mean rates over the seeds, and the worst seed's share of honest replies sent to spam."""
    rates = [outcome(decisions, seed).rates for seed in SEEDS]

    def mean(values: list[float]) -> str:
        return f"{sum(values) / len(values):.1%}"

    approved = [1 - r.caught - r.spam_held for r in rates]
    worst = max(r.honest_to_spam for r in rates)
    return (
        f"| {decisions} | {mean([r.caught for r in rates])} | {mean([r.spam_held for r in rates])} "
        f"| {mean(approved)} | {mean([r.honest_to_spam for r in rates])} ({worst:.1%}) "
        f"| {mean([r.honest_held for r in rates])} |"
    )


def main() -> None:
    started = time.perf_counter()
    lines = [
        "## Spam filter: learning curve",
        "",
        f"Generated set (tests/spam_corpus.py), {len(SEEDS)} sites (seeds). After N decisions",
        "(thresholds fitted on each one left out of the model), the next 200 spam and 200 honest",
        "replies; means over the sites, the worst site in brackets. Setting: at most 0.5 % of",
        "honest replies straight to spam, 5 % held; nothing straight to spam before",
        f"{MIN_DECISIONS} decisions of each kind. Targets after 600: honest → spam ≤ 1 %, spam",
        "caught ≥ 90 %, the rest held.",
        "",
        "| decisions | spam caught | spam held | spam approved | honest → spam (worst) "
        "| honest held |",
        "| --- | --- | --- | --- | --- | --- |",
        *(_row(decisions) for decisions in CURVE),
    ]
    print("\n".join(lines))
    print(f"({time.perf_counter() - started:.1f} s)")
    _write(lines)


def _write(lines: list[str]) -> None:
    """Replace this bench's section of bench/results.md, keeping the others."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    section = "\n".join(lines) + "\n"
    pattern = re.compile(r"## Spam filter: learning curve\n.*?(?=\n## |\Z)", re.S)
    text = (
        pattern.sub(section.rstrip("\n"), text)
        if pattern.search(text)
        else f"{text.rstrip()}\n\n{section}"
    )
    RESULTS.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    main()
