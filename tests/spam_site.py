"""A site whose moderators decided replies from the generated labelled set, for DB tests."""

from __future__ import annotations

from typing import Any

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.services.moderation.actions import moderate
from forum.services.moderation.spam_features import Example
from forum.services.moderation.spam_refit import refit_thresholds
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.spam_corpus import Site


def store(post: Post, example: Example, **fields: Any) -> Reply:
    """A pending reply with the example's text and author (a guest)."""
    return make_reply(
        post,
        body_source=example.text,
        guest_name=example.name,
        guest_email=example.email,
        guest_url=example.url,
        ip_address=example.ip,
        status=ReplyStatus.PENDING,
        commit=False,
        **fields,
    )


def decide_one_by_one(moderator: User, replies: list[Reply], examples: list[Example]) -> None:
    """A moderator's decision on each reply, one action each, as the labels say."""
    db.session.commit()
    for reply, example in zip(replies, examples, strict=True):
        action = "spam" if example.is_spam else "approve"
        moderate(moderator=moderator, reply_ids=[reply.id], action=action)


def site_with_decisions(count: int, seed: int = 5) -> tuple[Post, User]:
    """`count` decided replies and fitted thresholds; the post and the moderator."""
    post = make_post()
    moderator = make_user(role=Role.MODERATOR)
    examples = Site(seed).stream(count)
    replies = [store(post, example) for example in examples]
    decide_one_by_one(moderator, replies, examples)
    refit_thresholds()
    return post, moderator
