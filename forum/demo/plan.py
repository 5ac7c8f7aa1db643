"""Planning the demo threads: who answers whom, with what text and when. No database access."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime
from datetime import timedelta
from typing import TypeAlias

from forum.demo import text as demo_text
from forum.demo.text import PostText
from forum.models import User

MAX_REPLY_DEPTH = 7  # 0-based, so eight levels: deeper than pages indent, on purpose
RECENT_WINDOW = 40  # a reply answers one of the latest this-many replies
ASIDE_SHARE = 0.3


@dataclass(frozen=True, eq=False)
class Guest:
    name: str
    email: str
    url: str | None
    token: str


Speaker: TypeAlias = User | Guest


@dataclass(frozen=True)
class Cast:
    admin: User
    members: list[User]
    guests: list[Guest]


@dataclass(frozen=True)
class ThreadShape:
    reply_count: int
    spread_days: int  # replies arrive within this many days of publication
    openers: tuple[str, ...]  # texts for top-level replies
    top_level_share: float = 0.45
    author_answer_share: float = 0.2  # how often the post author answers a reader
    guest_share: float = 0.35
    chain_every: int = 0  # start an eight-level back-and-forth every N replies; 0: never
    held_count: int = 0  # latest guest replies left pending for moderation
    spam_count: int = 0  # latest guest leaves replaced by spam, which the rules catch


@dataclass(frozen=True)
class PostPlan:
    text: PostText
    category_slug: str
    days_ago: int  # must exceed shape.spread_days so no reply lies in the future
    shape: ThreadShape
    series_position: int | None = None


@dataclass
class PlannedReply:
    parent_index: int | None  # index into the same thread's plan; parents come first
    depth: int
    speaker: Speaker
    body: str
    created_at: datetime
    held: bool = False  # meant to wait for a moderator: the rules decide how
    spam: bool = False  # a spammer's reply: the rules decide how


def _series_plan(position: int, days_ago: int, replies: int, held: int) -> PostPlan:
    """One part of the blog series, with readers' comments and the author's answers."""
    shape = ThreadShape(
        replies, 14, demo_text.ARTICLE_OPENERS, author_answer_share=0.25, held_count=held
    )
    text = demo_text.SERIES_PARTS[position - 1]
    return PostPlan(text, "living-with-it", days_ago, shape, series_position=position)


POST_PLANS: tuple[PostPlan, ...] = (
    PostPlan(
        demo_text.INTRODUCTIONS_POST,
        "community",
        170,
        ThreadShape(90, 60, demo_text.INTRODUCTIONS, 0.75, author_answer_share=0.5, held_count=1),
    ),
    _series_plan(1, 150, 95, 1),
    _series_plan(2, 128, 120, 0),
    PostPlan(
        demo_text.RESEARCH_POST,
        "research-notes",
        117,
        ThreadShape(45, 10, demo_text.RESEARCH_OPENERS),
    ),
    _series_plan(3, 106, 70, 1),
    _series_plan(4, 84, 85, 0),
    _series_plan(5, 62, 110, 1),
    PostPlan(
        demo_text.SITE_NEWS_POST,
        "site-news",
        30,
        ThreadShape(35, 7, demo_text.NEWS_OPENERS, 0.6, author_answer_share=0.4),
    ),
    PostPlan(
        demo_text.OPEN_THREAD_POST,
        "community",
        16,
        ThreadShape(
            1550,
            12,
            demo_text.CHECK_INS,
            0.3,
            0.04,
            0.3,
            chain_every=100,
            held_count=2,
            spam_count=len(demo_text.SPAM),
        ),
    ),
)


def plan_thread(
    rng: random.Random, shape: ThreadShape, published_at: datetime, cast: Cast
) -> list[PlannedReply]:
    """Decide every reply's parent, writer, text and time, in the order they were written."""
    planned: list[PlannedReply] = []
    chain_left = 0
    for moment in _reply_times(rng, published_at, shape):
        starts_chain = (
            shape.chain_every > 0 and len(planned) % shape.chain_every == shape.chain_every - 1
        )
        in_chain = chain_left > 0 and not starts_chain
        if starts_chain:
            parent_index, chain_left = None, MAX_REPLY_DEPTH
        elif in_chain:
            parent_index, chain_left = len(planned) - 1, chain_left - 1
        else:
            parent_index = _pick_parent(rng, planned, shape.top_level_share)
        parent = planned[parent_index] if parent_index is not None else None
        speaker = _pick_speaker(rng, shape, cast, planned, parent_index, in_chain)
        body = _pick_body(rng, shape, cast, speaker, parent)
        depth = parent.depth + 1 if parent else 0
        planned.append(PlannedReply(parent_index, depth, speaker, body, moment))
    _hold_latest_guest_leaves(planned, shape.held_count)
    _spam_guest_leaves(planned, shape.spam_count)
    return planned


def _reply_times(rng: random.Random, published_at: datetime, shape: ThreadShape) -> list[datetime]:
    """Strictly increasing whole-second moments after publication, busiest in the first days."""
    spread = shape.spread_days * 86_400
    offsets = sorted(300 + int(spread * rng.random() ** 2) for _ in range(shape.reply_count))
    for index in range(1, len(offsets)):
        offsets[index] = max(offsets[index], offsets[index - 1] + 1)
    return [published_at + timedelta(seconds=offset) for offset in offsets]


def _pick_parent(
    rng: random.Random, planned: list[PlannedReply], top_level_share: float
) -> int | None:
    """Top-level now and then; otherwise answer a recent reply, the newest most likely."""
    if not planned or rng.random() < top_level_share:
        return None
    first = max(0, len(planned) - RECENT_WINDOW)
    candidates = [i for i in range(first, len(planned)) if planned[i].depth < MAX_REPLY_DEPTH]
    if not candidates:
        return None
    return rng.choices(candidates, weights=[i - first + 1 for i in candidates])[0]


def _pick_speaker(
    rng: random.Random,
    shape: ThreadShape,
    cast: Cast,
    planned: list[PlannedReply],
    parent_index: int | None,
    in_chain: bool,
) -> Speaker:
    """Who writes the reply: chains alternate two people; the author answers readers."""
    parent = planned[parent_index] if parent_index is not None else None
    if in_chain and parent is not None and parent.parent_index is not None:
        return planned[parent.parent_index].speaker
    if parent and parent.speaker is not cast.admin and rng.random() < shape.author_answer_share:
        return cast.admin
    while True:
        if rng.random() < shape.guest_share:
            speaker: Speaker = rng.choice(cast.guests)
        else:
            speaker = rng.choice(cast.members)
        if parent is None or speaker is not parent.speaker:
            return speaker


def _pick_body(
    rng: random.Random,
    shape: ThreadShape,
    cast: Cast,
    speaker: Speaker,
    parent: PlannedReply | None,
) -> str:
    """A reply text from the pools, sometimes with a second paragraph."""
    if speaker is cast.admin:
        pool = demo_text.AUTHOR_ANSWERS
    else:
        pool = shape.openers if parent is None else demo_text.ANSWERS
    name = speaker.name if isinstance(speaker, Guest) else speaker.display_name
    body = rng.choice(pool).replace("{first}", name.split()[0])
    if rng.random() < ASIDE_SHARE:
        body = f"{body}\n\n{rng.choice(demo_text.ASIDES)}"
    return body


def _hold_latest_guest_leaves(planned: list[PlannedReply], count: int) -> None:
    """Leave the newest unanswered guest replies pending, as moderation would."""
    answered = {item.parent_index for item in planned}
    for index in reversed(range(len(planned))):
        if count == 0:
            return
        if isinstance(planned[index].speaker, Guest) and index not in answered:
            planned[index].held = True
            count -= 1


def _spam_guest_leaves(planned: list[PlannedReply], count: int) -> None:
    """Turn unanswered, not held guest replies into spam, from the oldest: spammers come early."""
    answered = {item.parent_index for item in planned}
    leaves = [
        item
        for index, item in enumerate(planned)
        if isinstance(item.speaker, Guest) and index not in answered and not item.held
    ]
    for item, (name, email, url, text) in zip(leaves, demo_text.SPAM[:count], strict=False):
        item.speaker = Guest(name, email, url, f"spam-{email}")
        item.body, item.spam = text, True
