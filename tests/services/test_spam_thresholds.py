"""The stored filter: fitted thresholds, the minimum of decisions, explanations, exact
un-teaching, mass actions that cannot swamp it, and retraining equal to learning one by one."""

from __future__ import annotations

from typing import Any

from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import Setting
from forum.models import SpamToken
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.services.authoring import edit_own_reply
from forum.services.moderation import spam
from forum.services.moderation.actions import moderate
from forum.services.moderation.draft import Draft
from forum.services.moderation.lessons import forget
from forum.services.moderation.rules import decide
from forum.services.moderation.spam_rebuild import rebuild_model
from forum.services.moderation.spam_refit import refit_thresholds
from forum.services.moderation.spam_scoring import assess_draft
from forum.services.moderation.undo import undo
from forum.services.site_settings import ModerationSettings
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules
from tests.spam_corpus import Site
from tests.spam_site import decide_one_by_one
from tests.spam_site import site_with_decisions
from tests.spam_site import store

SPAM_TEXT = (
    "Cheap xanax and tramadol online, no prescription needed, overnight delivery! "
    "https://cheap-meds-7.example/buy"
)


def _draft(post: Post, body: str = SPAM_TEXT) -> Draft:
    return Draft(
        actor=Actor(ip_address="203.0.113.9"),
        post=post,
        parent=None,
        body_source=body,
        guest_name="Rx Deals",
        guest_email="deals77@gmail.com",
        guest_url=None,
    )


def _counts() -> tuple[dict[str, tuple[int, int]], object]:
    rows = db.session.execute(select(SpamToken.token, SpamToken.spam_count, SpamToken.ham_count))
    tokens = {token: (s, h) for token, s, h in rows if (s, h) != (0, 0)}
    totals = db.session.get(Setting, spam.TOTALS_KEY)
    return tokens, totals.value if totals is not None else None


def test_spam_is_held_not_sent_to_spam_before_the_minimum_number_of_decisions(
    app: Flask,
) -> None:
    post, _ = site_with_decisions(60)
    set_rules(hold_first_time=False, flood_seconds=0, spam_min_decisions=50)
    held = decide(_draft(post))
    assert held.status is ReplyStatus.PENDING and held.reason == "spam_score"
    assert "too few decisions" in held.trace[-1]["detail"]
    set_rules(hold_first_time=False, flood_seconds=0, spam_min_decisions=20)
    caught = decide(_draft(post))
    assert caught.status is ReplyStatus.SPAM and caught.reason == "spam_score"


def test_the_spam_score_trace_names_the_three_features_that_moved_it_most(app: Flask) -> None:
    post, _ = site_with_decisions(60)
    settings = ModerationSettings(hold_first_time=False, spam_min_decisions=20)
    decision = decide(_draft(post), settings)
    detail = decision.trace[-1]["detail"]
    assert detail.startswith("spam score 0.9") and "most weight: " in detail
    reasons = detail.split("most weight: ")[1].split("; ")
    assert len(reasons) == 3 and all(
        reason.endswith(("→ spam)", "→ not spam)")) for reason in reasons
    )
    assert decision.trace[-1]["context"] == "linkhost:unseen"  # learned with the reply later


def test_refit_stores_thresholds_and_the_rates_measured_on_the_decisions(app: Flask) -> None:
    site_with_decisions(60)
    _, calibration = spam.load_state()
    assert calibration.decisions[0] + calibration.decisions[1] == 60
    assert calibration.spam_at is not None and calibration.hold_at <= calibration.spam_at
    assert calibration.rates.spam + calibration.rates.honest == 60
    assert calibration.rates.honest_to_spam <= 0.005 and calibration.fitted_at


def test_undoing_a_decision_takes_back_exactly_what_it_taught(app: Flask) -> None:
    post = make_post()
    moderator = make_user(role=Role.MODERATOR)
    spam.seed_if_empty()
    trace = [{"rule": "spam_score", "detail": "", "verdict": "hold", "context": "repeat:2+"}]
    reply = store(post, Site(2).spam(), decision_trace=trace)
    db.session.commit()
    before = _counts()
    result = moderate(moderator=moderator, reply_ids=[reply.id], action="spam")
    assert _counts() != before and db.session.get(SpamToken, "repeat:2+") is not None
    assert result.entry is not None
    undo(moderator=moderator, entry_id=result.entry.id)
    assert _counts() == before


def test_a_bulk_spam_of_one_authors_replies_teaches_at_most_three_lessons(app: Flask) -> None:
    post = make_post()
    moderator = make_user(role=Role.MODERATOR)
    spam.seed_if_empty()
    _, totals = _counts()
    assert isinstance(totals, dict)
    ids = [
        make_reply(post, body_source=f"Visit my shop {n}", guest_email="shop@example.org").id
        for n in range(10)
    ]
    db.session.execute(Reply.__table__.update().values(status=ReplyStatus.PENDING))
    result = moderate(moderator=moderator, reply_ids=ids, action="spam")
    assert _counts()[1] == {"spam": totals["spam"] + 3, "ham": totals["ham"]}
    lessons = sorted(db.session.scalars(select(Reply.spam_lesson).where(Reply.id.in_(ids))))
    assert lessons == ["spam"] * 3 + ["spm0"] * 7
    assert result.entry is not None
    undo(moderator=moderator, entry_id=result.entry.id)
    assert _counts()[1] == totals


def test_retraining_from_all_decisions_equals_learning_them_one_by_one(app: Flask) -> None:
    post = make_post()
    moderator = make_user(role=Role.MODERATOR)
    examples = Site(9).stream(30)
    replies = [store(post, example) for example in examples]
    decide_one_by_one(moderator, replies, examples)
    moderate(moderator=moderator, reply_ids=[replies[0].id], action="trash")  # taken back
    flipped = next(r for r, e in zip(replies, examples, strict=True) if e.is_spam)
    moderate(moderator=moderator, reply_ids=[flipped.id], action="not_spam")  # reversed
    incremental = _counts()
    assert rebuild_model() == 29
    assert _counts() == incremental


def test_scoring_a_reply_takes_as_many_statements_whatever_its_length(
    app: Flask, count_queries: Any
) -> None:
    post = make_post()
    spam.seed_if_empty()
    settings = ModerationSettings()
    counts = []
    for body in ("Thank you!", " ".join(f"word{n} https://site{n}.example" for n in range(400))):
        with count_queries() as statements:
            assess_draft(_draft(post, body), settings)
        counts.append(len(statements))
    assert counts[0] == counts[1] <= 3


def test_porch_spam_refit_reports_the_measured_rates(app: Flask) -> None:
    site_with_decisions(60)
    result = app.test_cli_runner().invoke(args=["porch", "spam", "refit"])
    assert result.exit_code == 0
    assert "of spam caught outright" in result.output


def test_an_authors_edit_relearns_the_reply_so_forgetting_it_later_leaves_no_trace(
    app: Flask,
) -> None:
    set_rules(hold_first_time=False, flood_seconds=0, edit_window_minutes=60)
    spam.seed_if_empty()
    before = _counts()
    author = make_user()
    moderator = make_user(role=Role.MODERATOR)
    trace = [{"rule": "spam_score", "detail": "", "verdict": "hold", "context": "repeat:2+"}]
    reply = make_reply(
        make_post(),
        author=author,
        body_source="My first words here",
        status=ReplyStatus.PENDING,
        decision_trace=trace,
        created_at=utcnow(),
    )
    moderate(moderator=moderator, reply_ids=[reply.id], action="approve")
    edit_own_reply(actor=Actor(user=author), reply_id=reply.id, body="Better words, now edited")
    assert reply.spam_lesson == "ham" and spam.stored_context(reply) != ("repeat:2+",)
    forget(reply)
    db.session.commit()
    assert _counts() == before


def test_a_refit_before_any_decision_keeps_holding_likely_spam(app: Flask) -> None:
    post = make_post()
    refit_thresholds()
    decision = decide(_draft(post), ModerationSettings(hold_first_time=False))
    assert decision.status is ReplyStatus.PENDING and decision.reason == "spam_score"
