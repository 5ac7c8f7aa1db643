"""The spam classifier's features and in-memory naive Bayes model, with no database."""

from __future__ import annotations

from forum.services.moderation.spam import evaluate
from forum.services.moderation.spam_features import example_features
from forum.services.moderation.spam_features import features
from forum.services.moderation.spam_model import SpamModel
from forum.services.moderation.spam_model import seed_examples
from forum.services.moderation.spam_model import split
from forum.services.moderation.spam_seed import HAM
from forum.services.moderation.spam_seed import SPAM

LINK_DUMP = (
    "Best deals!! https://cheap-pills.example/buy https://www.casino-royal.example "
    "and https://quick-loans.example/apply"
)
PERSONAL = "My GP agreed to drop my dose from 20mg to 15mg. Feeling hopeful!"


def test_features_of_a_link_dump() -> None:
    tokens = features(
        LINK_DUMP,
        name="Cheap Pills 24",
        email="seo@spam.example",
        url="https://cheap-pills.example",
        has_account=False,
    )
    assert [t for t in tokens if not t.startswith("g:")] == [
        "account:no",
        "best",
        "deals",
        "email:seo@spam.example",
        "emaildomain:spam.example",
        "has_url:yes",
        "host:casino-royal.example",
        "host:cheap-pills.example",
        "host:quick-loans.example",
        "hostword:casino",
        "hostword:cheap",
        "hostword:loans",
        "hostword:pills",
        "hostword:quick",
        "hostword:royal",
        "lang:unknown",
        "link:bare",
        "link:path",
        "links:2+",
        "markup:heavy",
        "name:has_digits",
        "name:keywordy",
        "shape:exclaims",
        "shape:short",
    ]


def test_features_of_a_personal_comment() -> None:
    tokens = features(PERSONAL, name="Helen", email="Helen@Gmail.com", url=None, has_account=True)
    assert [t for t in tokens if not t.startswith("g:")] == [
        "15mg",
        "20mg",
        "account:yes",
        "agreed",
        "dose",
        "drop",
        "email:helen@gmail.com",
        "emaildomain:gmail.com",
        "feeling",
        "gp",
        "has_url:no",
        "hopeful",
        "lang:en",
        "links:0",
        "markup:none",
        "my",
        "shape:dosage",
        "shape:personal",
    ]


def test_link_buckets_money_caps_and_a_given_link_count() -> None:
    five = " ".join(f"https://site{n}.example" for n in range(5))
    tokens = features(five, name=None, email=None, url=None, has_account=False)
    assert {"links:2+", "links:5+", "name:none"} <= set(tokens)
    shouting = "ORDER TODAY and SAVE $50 on every box, limited offer for this week only"
    tokens = features(shouting, name=None, email=None, url=None, has_account=False, link_count=1)
    assert {"links:1", "shape:all_caps_words", "shape:money"} <= set(tokens)
    assert "shape:short" not in tokens


def test_features_are_unique_and_fit_the_token_column() -> None:
    host = "a" * 200 + ".example"
    tokens = features(
        f"spam spam SPAM https://{host}", name=None, email=None, url=None, has_account=False
    )
    assert tokens.count("spam") == 1
    assert max(len(token) for token in tokens) == 120


def test_seed_set_has_about_sixty_of_each_class() -> None:
    assert len(SPAM) == 60 and all(row[5] for row in SPAM)
    assert len(HAM) >= 60 and not any(row[5] for row in HAM)


def test_a_model_trained_on_80_percent_of_the_seed_separates_the_rest() -> None:
    train, held = split(seed_examples())
    assert len(held) == len(seed_examples()) // 5
    metrics = evaluate(held, model=SpamModel.trained_on(train))
    assert metrics.total == len(held)
    assert metrics.accuracy >= 0.8
    assert metrics.precision >= 0.75
    assert metrics.recall >= 0.75


def test_learning_more_spam_with_a_new_token_raises_its_score() -> None:
    model = SpamModel.trained_on(seed_examples())
    before = model.score(["zorblaxcoin"])
    assert before == model.score([])  # an unseen token counts for nothing
    model.learn(["zorblaxcoin", "account:no"], is_spam=True)
    once = model.score(["zorblaxcoin"])
    model.learn(["zorblaxcoin"], is_spam=True)
    assert before < once < model.score(["zorblaxcoin"])


def test_unlearn_reverses_learn_exactly() -> None:
    model = SpamModel.trained_on(seed_examples())
    snapshot = SpamModel(dict(model.tokens), model.totals)
    tokens = example_features(seed_examples()[0]) + ["brand-new-token"]
    model.learn(tokens, is_spam=False)
    assert model != snapshot
    model.unlearn(tokens, is_spam=False)
    assert model == snapshot


def test_unlearn_never_goes_below_zero() -> None:
    model = SpamModel()
    model.learn(["x1"], is_spam=True)
    model.unlearn(["x1", "x2"], is_spam=True)
    model.unlearn(["x1"], is_spam=True)
    assert model == SpamModel()


def test_an_empty_model_scores_one_half() -> None:
    assert (
        SpamModel().score(features(LINK_DUMP, name=None, email=None, url=None, has_account=False))
        == 0.5
    )
    assert SpamModel().score([]) == 0.5


def test_scores_are_probabilities() -> None:
    model = SpamModel.trained_on(seed_examples())
    for example in seed_examples():
        assert 0.0 <= model.score(example_features(example)) <= 1.0
