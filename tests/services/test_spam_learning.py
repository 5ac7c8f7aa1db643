"""The stored spam model: seeding, scoring drafts, learning from decisions, held-out metrics."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import Setting
from forum.models import SpamToken
from forum.security.actor import Actor
from forum.services.moderation import spam
from forum.services.moderation.actions import moderate
from forum.services.moderation.draft import Draft
from forum.services.moderation.spam_features import example_features
from forum.services.moderation.spam_model import SpamModel
from forum.services.moderation.spam_model import seed_examples
from forum.services.moderation.spam_seed import HAM
from forum.services.moderation.spam_seed import SPAM
from forum.services.moderation.undo import undo
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

OBVIOUS_SPAM = (
    "Cheap pills online, no prescription needed! Buy tramadol and xanax at "
    "https://cheap-meds-24.example and https://rx-nopresc.example"
)
PERSONAL = (
    "Thank you for this. My GP agreed I can drop from 20mg to 15mg next month and I'm "
    "nervous, but reading everyone's stories here helps me feel less alone."
)
NEW_SPAM = "Join the zorblax token presale and earn daily https://zorblax-presale.example"


def _draft(post: Post, body: str, name: str, email: str, url: str | None = None) -> Draft:
    return Draft(
        actor=Actor(ip_address="192.0.2.1"),
        post=post,
        parent=None,
        body_source=body,
        guest_name=name,
        guest_email=email,
        guest_url=url,
    )


def _totals() -> object:
    row = db.session.get(Setting, spam.TOTALS_KEY)
    return row.value if row is not None else None


def test_seed_if_empty_seeds_once_and_commits(app: object) -> None:
    assert spam.seed_if_empty() is True
    db.session.rollback()  # nothing left to lose: seeding committed
    assert _totals() == {"spam": len(SPAM), "ham": len(HAM)}
    assert spam.seed_if_empty() is False
    stored = db.session.execute(select(SpamToken.token, SpamToken.spam_count, SpamToken.ham_count))
    assert {token: (s, h) for token, s, h in stored} == SpamModel.trained_on(seed_examples()).tokens


def test_score_is_one_half_before_seeding(app: object) -> None:
    assert spam.score(["host:cheap-meds-24.example", "links:2+"]) == 0.5


def test_score_draft_seeds_lazily_and_separates_spam_from_a_personal_comment(app: object) -> None:
    post = make_post()
    spammy = _draft(post, OBVIOUS_SPAM, "Cheap Meds 24", "meds24@mail.ru", "https://rx.example")
    assert spam.score_draft(spammy) > 0.9
    assert _totals() == {"spam": len(SPAM), "ham": len(HAM)}
    personal = _draft(post, PERSONAL, "Helen", "helen.w@gmail.com")
    assert spam.score_draft(personal) < 0.5


def test_learn_reply_moves_the_score_of_a_similar_draft(app: object) -> None:
    post = make_post()
    spam.seed_if_empty()
    draft = _draft(post, NEW_SPAM, "Anna", "anna.k@gmail.com")
    before = spam.score_draft(draft)
    for _ in range(3):
        reply = make_reply(post, body_source=NEW_SPAM, status=ReplyStatus.SPAM)
        spam.learn_reply(reply, is_spam=True)
    db.session.commit()
    after = spam.score_draft(draft)
    assert after > before
    assert _totals() == {"spam": len(SPAM) + 3, "ham": len(HAM)}
    spam.learn_reply(reply, is_spam=False)  # ham evidence pulls it back down
    db.session.commit()
    assert spam.score_draft(draft) < after


def test_unlearn_reply_reverses_learn_reply(app: object) -> None:
    post = make_post()
    spam.seed_if_empty()
    draft = _draft(post, NEW_SPAM, "Anna", "anna.k@gmail.com")
    before = spam.score_draft(draft)
    reply = make_reply(post, body_source=NEW_SPAM, status=ReplyStatus.SPAM)
    spam.learn_reply(reply, is_spam=True)
    db.session.commit()
    assert spam.score_draft(draft) > before
    spam.unlearn_reply(reply, is_spam=True)
    db.session.commit()
    assert spam.score_draft(draft) == before
    assert _totals() == {"spam": len(SPAM), "ham": len(HAM)}


def test_learning_is_staged_for_the_caller_to_commit(app: object) -> None:
    spam.seed_if_empty()
    spam.learn(["host:zorblax-presale.example", "links:1"], is_spam=True)
    assert _totals() == {"spam": len(SPAM) + 1, "ham": len(HAM)}
    db.session.rollback()
    assert _totals() == {"spam": len(SPAM), "ham": len(HAM)}
    assert db.session.get(SpamToken, "host:zorblax-presale.example") is None


def test_the_first_write_on_a_site_also_stages_the_seed(app: object) -> None:
    spam.learn(["zorblax"], is_spam=True)
    db.session.commit()
    assert _totals() == {"spam": len(SPAM) + 1, "ham": len(HAM)}
    assert spam.seed_if_empty() is False


def test_learning_many_tokens_uses_a_fixed_number_of_queries(
    app: object, count_queries: object
) -> None:
    spam.seed_if_empty()
    tokens = [f"token{n}" for n in range(50)] + ["links:1", "account:no"]
    with count_queries() as statements:
        spam.learn(tokens, is_spam=True)
        db.session.flush()
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2  # the totals row and the existing token rows
    assert len(statements) <= 5  # plus one batched UPDATE and one batched INSERT


def test_token_counts_are_the_stored_counts_whatever_the_tokens_hold(app: object) -> None:
    """The tokens reach the database as one JSON text: quotes, backslashes, braces, commas and
    other scripts must arrive as they are, and a refit asks thousands at once."""
    awkward = ['w:"quoted"', "w:back\\slash", "w:{braces},commas", "w:café", "w:日本", "host:x.org"]
    many = [f"g:{n:05d}" for n in range(2_500)]
    for n, token in enumerate(awkward + many):
        db.session.add(SpamToken(token=token, spam_count=n, ham_count=n + 1))
    db.session.commit()
    asked = [*awkward, *many, "w:never-stored"]
    found = spam.token_counts(asked)
    assert found == {token: (n, n + 1) for n, token in enumerate(awkward + many)}
    assert spam.token_counts(["w:never-stored"]) == {}
    assert spam.token_counts([]) == {}


def _moderated(post: Post, moderator_id: int, n: int) -> None:
    for i in range(n):
        if i % 2:
            body, status = f"Buy cheap pills online {i} https://pills-{i}.example", ReplyStatus.SPAM
            name, url = "Cheap Pills", f"https://pills-{i}.example"
        else:
            body, status = (
                f"Day {i} of my taper, my GP says slow is fine. Thank you.",
                (ReplyStatus.APPROVED),
            )
            name, url = "Helen", None
        make_reply(
            post,
            body_source=body,
            status=status,
            guest_name=name,
            guest_url=url,
            moderated_by_id=moderator_id,
            commit=False,
        )
    db.session.commit()


def test_holdout_metrics_needs_enough_decisions(app: object) -> None:
    post = make_post()
    moderator = make_user(role=Role.MODERATOR)
    _moderated(post, moderator.id, 20)
    make_reply(post, status=ReplyStatus.APPROVED)  # not a moderator's decision
    assert spam.holdout_metrics() is None


def test_holdout_metrics_scores_every_fifth_decision(app: object) -> None:
    post = make_post()
    moderator = make_user(role=Role.MODERATOR)
    _moderated(post, moderator.id, 60)
    for _ in range(5):
        make_reply(post, status=ReplyStatus.PENDING, moderated_by_id=moderator.id)
    metrics = spam.holdout_metrics()
    assert metrics is not None
    assert metrics.total == 12
    assert metrics.tp + metrics.fn == 6
    assert metrics.accuracy == 1.0
    assert metrics.threshold == 0.5
    assert spam.holdout_metrics(limit=40) is None  # 40 decisions: only 8 held out
    count = db.session.scalar(select(func.count()).select_from(SpamToken))
    assert count == 0  # evaluation trains in memory and stores nothing


def test_undoing_a_spam_decision_takes_the_lesson_back(app: object) -> None:
    spam.seed_if_empty()
    moderator = make_user(role=Role.MODERATOR)
    reply = make_reply(make_post(), status=ReplyStatus.PENDING, body_source="zanzibarquux offer")
    tokens = example_features(spam.reply_example(reply))
    before = spam.score(tokens)
    result = moderate(moderator=moderator, reply_ids=[reply.id], action="spam")
    assert spam.score(tokens) > before
    assert result.entry is not None
    undo(moderator=moderator, entry_id=result.entry.id)
    assert spam.score(tokens) == pytest.approx(before)
