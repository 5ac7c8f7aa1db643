"""Retraining the stored spam model from scratch: the seed set plus every counted decision.

Learning is counting, so the rebuilt model equals the one built lesson by lesson (a test
checks): this is the repair tool for a model whose counts are in doubt.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from forum.extensions import db
from forum.models import Reply
from forum.models import Setting
from forum.models import SpamToken
from forum.services import site_settings
from forum.services.moderation import spam
from forum.services.moderation.spam_features import example_features
from forum.services.moderation.spam_model import SpamModel
from forum.services.moderation.spam_model import seed_examples

BATCH = 500


def rebuild_model() -> int:
    """Replace the stored counts with a fresh training run and COMMIT; the lessons counted."""
    model = SpamModel.trained_on(seed_examples())
    lessons = 0
    query = (
        select(Reply)
        .options(selectinload(Reply.author))
        .where(Reply.spam_lesson.in_(spam.TAUGHT))
        .order_by(Reply.id)
        .execution_options(yield_per=BATCH)
    )
    for reply in db.session.scalars(query):
        model.learn(
            example_features(spam.reply_example(reply)), is_spam=reply.spam_lesson == "spam"
        )
        lessons += 1
    db.session.execute(delete(SpamToken))
    db.session.execute(delete(Setting).where(Setting.key == spam.TOTALS_KEY))
    rows = [
        {"token": token, "spam_count": counts[0], "ham_count": counts[1]}
        for token, counts in sorted(model.tokens.items())
    ]
    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(SpamToken), rows[start : start + BATCH])
    site_settings.write_setting(spam.TOTALS_KEY, {"spam": model.totals[0], "ham": model.totals[1]})
    db.session.commit()
    return lessons
