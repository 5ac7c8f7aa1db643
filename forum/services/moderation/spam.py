"""The spam classifier, stored in the database and learning from moderators' decisions.

Per-token document counts live in `spam_token`; the number of spam and ham documents in the
`spam_totals` setting. The math is in `spam_model`, shared with the in-memory model.

Writes (learn, unlearn) are staged in `db.session` and the caller commits. The first write on a
site, when the totals row is absent, also stages the built-in seed set, so decisions made
before anything was scored never leave the model unseeded. The totals row is inserted with ON
CONFLICT DO NOTHING, so when several requests seed at once exactly one writes the seed and the
others count on top of it. `seed_if_empty()` is the exception that commits, and `score_draft()`
calls it: on a new site, the first call commits the session.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from collections.abc import Iterable
from collections.abc import Mapping
from collections.abc import Sequence
from typing import Any
from typing import Protocol

from sqlalchemy import JSON
from sqlalchemy import ColumnElement
from sqlalchemy import Text
from sqlalchemy import any_
from sqlalchemy import bindparam
from sqlalchemy import cast as sql_cast
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import type_coerce
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Setting
from forum.models import SpamToken
from forum.services import site_settings
from forum.services import statements
from forum.services.moderation.draft import Draft
from forum.services.moderation.spam_calibration import Calibration
from forum.services.moderation.spam_calibration import calibration_from
from forum.services.moderation.spam_features import Example
from forum.services.moderation.spam_features import example_features
from forum.services.moderation.spam_features import features
from forum.services.moderation.spam_model import Counts
from forum.services.moderation.spam_model import Metrics
from forum.services.moderation.spam_model import SpamModel
from forum.services.moderation.spam_model import document_delta
from forum.services.moderation.spam_model import log_odds
from forum.services.moderation.spam_model import measure
from forum.services.moderation.spam_model import seed_examples
from forum.services.moderation.spam_model import shift
from forum.services.moderation.spam_model import spam_probability
from forum.services.moderation.spam_model import split

__all__ = [
    "Example",
    "Metrics",
    "SpamModel",
    "draft_features",
    "evaluate",
    "features",
    "holdout_metrics",
    "learn",
    "learn_reply",
    "reply_example",
    "score",
    "score_draft",
    "seed_if_empty",
    "unlearn",
    "unlearn_reply",
]

TOTALS_KEY = "spam_totals"
CALIBRATION_KEY = "spam_calibration"
TAUGHT = frozenset({"spam", "ham"})  # lessons counted in the model (see lessons.py)
MIN_HELD_OUT = 10  # fewer held-out decisions than this say nothing useful


class Scorer(Protocol):
    """Anything that scores tokens, such as SpamModel."""

    def score(self, tokens: Iterable[str]) -> float: ...


def _totals_row(*, for_update: bool = False) -> Setting | None:
    """The totals setting; locked for update when about to change it."""
    if for_update:  # serialises concurrent learners on PostgreSQL; SQLite locks the database
        return db.session.get(Setting, TOTALS_KEY, with_for_update=True)
    return db.session.get(Setting, TOTALS_KEY)


def _totals(row: Setting | None) -> Counts:
    """(spam, ham) document totals from the setting row."""
    return _totals_of(row.value if row is not None else None)


def _totals_of(value: object) -> Counts:
    """(spam, ham) document totals from the setting's stored value."""
    stored = value if isinstance(value, dict) else {}
    return int(stored.get("spam", 0)), int(stored.get("ham", 0))


def load_state() -> tuple[Counts | None, Calibration]:
    """The totals (None before seeding) and the fitted calibration, in one query."""
    query = select(Setting).where(Setting.key.in_([TOTALS_KEY, CALIBRATION_KEY]))
    rows = {row.key: row for row in db.session.scalars(query)}
    totals = rows.get(TOTALS_KEY)
    calibration = rows.get(CALIBRATION_KEY)
    return state_from(
        totals is not None,
        totals.value if totals is not None else None,
        calibration.value if calibration is not None else None,
    )


def state_from(
    totals_stored: bool, totals_value: object, calibration_value: object
) -> tuple[Counts | None, Calibration]:
    """load_state from the two rows' stored values (read elsewhere, e.g. with other lookups)."""
    totals = _totals_of(totals_value) if totals_stored else None
    return totals, calibration_from(calibration_value)


def token_counts(tokens: Collection[str]) -> dict[str, Counts]:
    """Stored counts of these tokens, in one query; plain rows, so never stale ORM objects."""
    if not tokens:
        return {}
    counts = _TOKEN_COUNTS[db.session.get_bind().dialect.name]
    found = statements.run(counts, {"tokens": json.dumps(list(tokens))})
    return {row.token: (row.spam_count, row.ham_count) for row in found}


# Built once: every post asks it. The tokens go as one JSON array, listed by the database: one
# text parameter whatever their number, so the statement never changes (SQLite rendered an
# expanding IN for each number of tokens) and the driver adapts one string, not each token
# (psycopg adapting a post's fifty cost more Python than the rest of the query). PostgreSQL
# gets them as one array value (= ANY of a subquery's array, computed once), which it looks up
# in the primary key; as an IN subquery it would hash the whole table.
_TOKENS = bindparam("tokens", type_=Text)
_SQLITE_TOKENS = func.json_each(_TOKENS).table_valued("value")
_POSTGRESQL_TOKENS = func.json_array_elements_text(sql_cast(_TOKENS, JSON)).table_valued("value")
_TOKEN_COLUMNS = select(SpamToken.token, SpamToken.spam_count, SpamToken.ham_count)
_TOKEN_COUNTS = {
    "sqlite": _TOKEN_COLUMNS.where(SpamToken.token.in_(select(_SQLITE_TOKENS.c.value))),
    "postgresql": _TOKEN_COLUMNS.where(
        SpamToken.token
        == any_(
            sql_cast(
                select(func.array_agg(_POSTGRESQL_TOKENS.c.value)).scalar_subquery(), ARRAY(Text)
            )
        )
    ),
}


def token_rows_column(dialect: str) -> ColumnElement[Any]:
    """token_counts as a column of another statement: a JSON array of [token, spam, ham]
    (rows_from reads it), for the parameter `tokens` (a JSON array, as token_counts sends)."""
    found = _TOKEN_COUNTS[dialect].subquery()
    row = (
        func.json_array(found.c.token, found.c.spam_count, found.c.ham_count)
        if dialect == "sqlite"
        else func.json_build_array(found.c.token, found.c.spam_count, found.c.ham_count)
    )
    gathered = func.json_group_array(row) if dialect == "sqlite" else func.json_agg(row)
    return type_coerce(select(gathered).scalar_subquery(), JSON)


def rows_from(gathered: Sequence[Sequence[Any]] | None) -> dict[str, Counts]:
    """token_counts' answer from token_rows_column's value (None: no token is stored)."""
    return {token: (int(spam), int(ham)) for token, spam, ham in gathered or ()}


def score(tokens: Iterable[str]) -> float:
    """P(spam) under the stored model; 0.5 while it holds no documents."""
    totals = _totals(_totals_row())
    if totals == (0, 0):
        return 0.5
    unique = set(tokens)
    return spam_probability(token_counts(unique), totals, unique)


def _stage(deltas: Mapping[str, Counts], totals_delta: Counts) -> None:
    """Stage count changes: one query loads the existing rows, the rest are inserted."""
    totals_row = _totals_row(for_update=True)
    if totals_row is None:  # the model's first write: start from the seed set
        if _stage_seed(deltas, totals_delta):
            return
        totals_row = _totals_row(for_update=True)  # another writer seeded first: count on top
        # The insert that lost waited for the winner's commit, so the row is there.
        assert totals_row is not None  # nosec B101  # narrowing only
    totals = shift(_totals(totals_row), totals_delta)
    totals_row.value = {"spam": totals[0], "ham": totals[1]}
    _stage_tokens(deltas)


def _stage_seed(deltas: Mapping[str, Counts], totals_delta: Counts) -> bool:
    """Write the seed set plus these changes, unless another writer seeded first; True if so.

    The totals row goes in first with ON CONFLICT DO NOTHING: a concurrent seeder's insert
    waits for ours and then does nothing, so exactly one transaction writes the seed tokens.
    """
    seed = SpamModel.trained_on(seed_examples())
    seed.apply(deltas, totals_delta)
    value = {"spam": seed.totals[0], "ham": seed.totals[1]}
    if not site_settings.write_setting(TOTALS_KEY, value, replace=False):
        return False
    _stage_tokens(seed.tokens)
    return True


def _stage_tokens(deltas: Mapping[str, Counts]) -> None:
    """Shift stored token counts; callers hold the totals row, so no one else writes tokens."""
    query = select(SpamToken).where(SpamToken.token.in_(deltas))
    existing = {row.token: row for row in db.session.scalars(query)}
    for token in sorted(deltas):
        row, (spam, ham) = existing.get(token), deltas[token]
        if row is not None:
            row.spam_count, row.ham_count = shift((row.spam_count, row.ham_count), (spam, ham))
        elif spam > 0 or ham > 0:
            db.session.add(SpamToken(token=token, spam_count=max(spam, 0), ham_count=max(ham, 0)))


def learn(tokens: Iterable[str], *, is_spam: bool) -> None:
    """Count one document as spam or ham; the caller commits."""
    _stage(*document_delta(set(tokens), is_spam=is_spam))


def unlearn(tokens: Iterable[str], *, is_spam: bool) -> None:
    """Take back a document counted by learn(), never below zero; the caller commits."""
    _stage(*document_delta(set(tokens), is_spam=is_spam, sign=-1))


def stage_lessons(lessons: Iterable[tuple[Iterable[str], bool, int]]) -> None:
    """Stage many lessons, (tokens, is_spam, +1 learn or -1 unlearn), as one batched change."""
    deltas: dict[str, list[int]] = {}
    totals = [0, 0]
    for tokens, is_spam, sign in lessons:
        side = 0 if is_spam else 1
        totals[side] += sign
        for token in set(tokens):
            deltas.setdefault(token, [0, 0])[side] += sign
    if deltas or totals != [0, 0]:
        _stage({token: (d[0], d[1]) for token, d in deltas.items()}, (totals[0], totals[1]))


def seed_if_empty() -> bool:
    """Train on the built-in seed set and COMMIT, if the model was never written; True if so."""
    if _totals_row() is not None:
        return False
    seeded = _stage_seed({}, (0, 0))
    db.session.commit()
    return seeded


def draft_features(draft: Draft) -> list[str]:
    """Tokens of a reply about to be stored."""
    user = draft.actor.user
    return features(
        draft.body_source,
        name=user.display_name if user is not None else draft.guest_name,
        email=draft.email,
        url=draft.guest_url,
        has_account=user is not None,
        account_id=user.id if user is not None else None,
        ip=draft.actor.ip_address,
    )


def score_draft(draft: Draft) -> float:
    """Calibrated P(spam) of a draft's own features; seeds the model first on a new site
    (which commits the session). The rules use spam_scoring.assess_draft, which adds context."""
    seed_if_empty()
    totals, calibration = load_state()
    tokens = set(draft_features(draft))
    return calibration.probability(log_odds(token_counts(tokens), totals or (0, 0), tokens))


def reply_example(reply: Reply) -> Example:
    """A stored reply as an example, labelled spam when its status is spam."""
    author = reply.author
    return Example(
        text=reply.body_source,
        name=author.display_name if author is not None else reply.guest_name,
        email=author.email if author is not None else reply.guest_email,
        url=reply.guest_url,
        has_account=reply.author_id is not None,
        is_spam=reply.status == ReplyStatus.SPAM,
        account_id=reply.author_id,
        ip=reply.ip_address,
        context=stored_context(reply),
    )


def stored_context(reply: Reply) -> tuple[str, ...]:
    """The site context the filter saw when the reply was scored, kept in its trace."""
    for step in reply.decision_trace or []:
        if isinstance(step, dict) and step.get("rule") == "spam_score":
            return tuple(str(step.get("context") or "").split())
    return ()


def learn_reply(reply: Reply, *, is_spam: bool) -> None:
    """Learn from a moderator's decision on a reply; the caller commits."""
    learn(example_features(reply_example(reply)), is_spam=is_spam)


def unlearn_reply(reply: Reply, *, is_spam: bool) -> None:
    """Take back an earlier learn_reply() when a decision is reversed; the caller commits."""
    unlearn(example_features(reply_example(reply)), is_spam=is_spam)


def evaluate(
    examples: Sequence[Example], *, model: Scorer | None = None, threshold: float = 0.5
) -> Metrics:
    """Metrics of a model (the stored one by default) on labelled examples."""
    scorer = model.score if model is not None else score
    return measure(((scorer(example_features(e)), e.is_spam) for e in examples), threshold)


def holdout_metrics(limit: int = 500, *, threshold: float = 0.5) -> Metrics | None:
    """Metrics on every 5th recent moderator decision, training on the rest + seed; or None."""
    query = (
        select(Reply)
        .options(selectinload(Reply.author))
        .where(
            Reply.status.in_([ReplyStatus.APPROVED, ReplyStatus.SPAM]),
            Reply.moderated_by_id.is_not(None),
        )
        .order_by(Reply.moderated_at.desc().nulls_last(), Reply.id.desc())
        .limit(limit)
    )
    decided = sorted(db.session.scalars(query), key=lambda reply: reply.id)
    train, held = split([reply_example(reply) for reply in decided])
    if len(held) < MIN_HELD_OUT:
        return None
    model = SpamModel.trained_on([*seed_examples(), *train])
    return evaluate(held, model=model, threshold=threshold)
