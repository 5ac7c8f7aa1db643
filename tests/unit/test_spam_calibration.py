"""Calibration and threshold choice of the spam filter, on the generated labelled set."""

from __future__ import annotations

from bench.spam import trained
from forum.services.moderation.spam_calibration import Calibration
from forum.services.moderation.spam_calibration import fit
from forum.services.moderation.spam_calibration import platt
from forum.services.moderation.spam_explain import explain
from forum.services.moderation.spam_features import example_features
from tests.spam_corpus import Site
from tests.spam_corpus import labelled_set


def test_labelled_set_is_repeatable_and_varied() -> None:
    examples = labelled_set(1_200, seed=3)
    assert examples == labelled_set(1_200, seed=3)
    honest = [e.text for e in examples if not e.is_spam]
    spam = [e for e in examples if e.is_spam]
    assert 500 < len(spam) < 700 and len(set(honest)) > 400
    assert any("http" in text for text in honest)  # honest replies with links
    assert any("£" in text or "$" in text for text in honest)  # and money
    assert any("sertraline" in text for text in honest)  # and medication names
    assert any(e.text.startswith(("This really helped", "So true")) for e in spam)  # imitations


def test_thresholds_fitted_after_600_decisions_meet_the_targets_on_new_replies() -> None:
    site = Site(21)
    model, calibration = trained(site.stream(600))
    assert calibration.rates.honest_to_spam <= 0.005  # on the decisions it was fitted on
    verdicts = {True: [], False: []}  # type: dict[bool, list[str]]
    for example in site.stream(400):
        score = model.log_odds(example_features(example))
        verdicts[example.is_spam].append(calibration.verdict(score, min_decisions=50))
    honest, spam = verdicts[False], verdicts[True]
    assert honest.count("spam") / len(honest) <= 0.01
    assert spam.count("spam") / len(spam) >= 0.9
    assert spam.count("pass") / len(spam) <= 0.02  # the rest are held, not approved


def test_the_spam_threshold_sits_above_every_honest_score_when_the_share_is_small() -> None:
    scored = [(x / 10, False) for x in range(-50, 5)] + [(x / 10, True) for x in range(0, 60)]
    calibration = fit(scored, decisions=(60, 55), honest_share=0.005, hold_share=0.05)
    assert calibration.spam_at is not None and 0.4 < calibration.spam_at <= 0.5
    assert calibration.rates.honest_to_spam == 0.0
    assert calibration.hold_at < calibration.spam_at
    assert 0 < calibration.rates.honest_held <= 0.05 + 1e-9


def test_a_larger_allowed_share_gives_a_lower_spam_threshold() -> None:
    scored = [(x / 10, False) for x in range(-50, 50)] + [(x / 10, True) for x in range(0, 100)]
    strict = fit(scored, decisions=(100, 100), honest_share=0.005, hold_share=0.05)
    loose = fit(scored, decisions=(100, 100), honest_share=0.1, hold_share=0.2)
    assert strict.spam_at is not None and loose.spam_at is not None
    assert loose.spam_at < strict.spam_at
    assert loose.rates.honest_to_spam <= 0.1 and loose.rates.caught > strict.rates.caught


def test_calibrated_probabilities_rise_with_the_score_and_match_the_labels() -> None:
    scored = [(x / 10, x % 3 == 0) for x in range(-30, 30)]  # no separation: about 1 in 3
    slope, offset = platt(scored)
    calibration = Calibration(slope=slope, offset=offset)
    assert 0.2 < calibration.probability(0.0) < 0.45
    separated = [(-1.0 - x / 10, False) for x in range(30)] + [
        (1.0 + x / 10, True) for x in range(30)
    ]
    slope, offset = platt(separated)
    calibrated = Calibration(slope=slope, offset=offset)
    assert calibrated.probability(-1.0) < 0.5 < calibrated.probability(1.0)
    assert calibrated.probability(-4.0) < 0.05 and 0.95 < calibrated.probability(4.0)
    assert calibrated.probability(4.0) < 1.0  # smoothed targets keep the fit finite


def test_a_filter_with_too_few_decisions_holds_what_it_would_send_to_spam() -> None:
    calibration = Calibration(spam_at=1.0, hold_at=0.0, decisions=(49, 400))
    assert calibration.verdict(5.0, min_decisions=50) == "hold"
    assert calibration.verdict(5.0, min_decisions=40) == "spam"
    assert calibration.verdict(-1.0, min_decisions=40) == "pass"


def test_explanation_names_the_features_that_moved_the_score_most() -> None:
    moved = {
        "host:rx-now.example": 2.0,
        "host:pills.example": 1.5,
        "repeat:10+": 1.2,
        "cheap": 0.4,
        "gp": -0.1,
    }
    rows = {"host:rx-now.example": (4, 0), "host:pills.example": (2, 0)}
    reasons = explain(moved, rows, repeats=14)
    assert reasons == [
        "links to 2 domains marked spam before (→ spam)",
        "text seen 14 times today (→ spam)",
        "words “cheap”, “gp” (→ spam)",
    ]


def test_explanation_tells_an_authors_history() -> None:
    moved = {"email:ann@example.org": -2.0, "links:0": -0.2}
    reasons = explain(moved, {"email:ann@example.org": (0, 7)})
    assert reasons[0] == "this email: 0 marked spam, 7 approved before (→ not spam)"
