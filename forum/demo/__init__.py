"""Demo content for an empty site: a blog series, forum topics and one very long thread.

Everything is drawn from a seeded random generator, so one seed always gives the same
content; only the dates move, since they count back from `today`.
"""

from __future__ import annotations

import html
import random
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from functools import lru_cache

from faker import Faker
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import select

from forum.demo import text as demo_text
from forum.demo.plan import POST_PLANS
from forum.demo.plan import Cast
from forum.demo.plan import Guest
from forum.demo.plan import PlannedReply
from forum.demo.plan import PostPlan
from forum.demo.plan import plan_thread
from forum.extensions import db
from forum.models import Category
from forum.models import Like
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.security.actor import Actor
from forum.services.moderation import spam
from forum.services.moderation.draft import Draft
from forum.services.moderation.rules import decide
from forum.services.search import index as search_index
from forum.services.site_settings import ModerationSettings
from forum.services.site_settings import moderation_settings
from forum.text.render import render

MEMBER_COUNT = 20
GUEST_COUNT = 30
GUEST_URL_SHARE = 0.4
LIKED_SHARE = 0.55
LIKES_TAIL = 1.5  # Pareto shape: most liked replies get one or two, a few get many
INSERT_BATCH_SIZE = 500
EXCERPT_LENGTH = 200
PUBLISHED_AT_TIME = timedelta(hours=8, minutes=30)  # posts go out at 08:30 UTC
_BLOCK_TAG = re.compile(r"</?(?:p|br|li|ul|ol|blockquote|pre)\b[^>]*>")
_ANY_TAG = re.compile(r"<[^>]+>")


class DatabaseNotEmpty(RuntimeError):
    """Demo content only goes into a site that has no posts or categories yet."""


def load_demo(*, seed: int = 7, today: datetime | None = None) -> str:
    """Fill an empty database with demo content, commit once, and summarise what was added."""
    _require_empty_database()
    spam.seed_if_empty()  # the rules score replies; seeding commits, so it goes first
    # Demo spam shows the Spam tab, as on a site whose moderators have decided enough replies.
    settings = replace(moderation_settings(), spam_min_decisions=0)
    rng = random.Random(seed)  # nosec B311  # demo content, not security
    anchor = today or datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    cast = _create_cast(seed, rng)
    categories = _create_categories()
    posts = [_create_post(plan, cast.admin, categories, anchor) for plan in POST_PLANS]
    db.session.add_all(posts)
    db.session.flush()
    rendered = lru_cache(maxsize=None)(render)
    replies: list[Reply] = []
    for plan, post in zip(POST_PLANS, posts, strict=True):
        planned = plan_thread(rng, plan.shape, post.published_at, cast)
        rows = _insert_thread(post, planned, rendered)
        _moderate(post, planned, rows, settings)
        replies.extend(rows)
    likes = _add_likes(rng, replies, cast.members, anchor)
    for post in posts:
        search_index.index_post(post)
    search_index.index_replies(reply.id for reply in replies)
    db.session.commit()
    return (
        f"{len(posts)} posts, {len(categories)} categories, "
        f"{len(replies):,} replies, {likes:,} likes"
    )


def _require_empty_database() -> None:
    """Refuse to mix demo content into a site that already has some."""
    posts = db.session.scalar(select(func.count(Post.id))) or 0
    categories = db.session.scalar(select(func.count(Category.id))) or 0
    if posts or categories:
        raise DatabaseNotEmpty("Demo content needs an empty database (no posts or categories).")


def _create_cast(seed: int, rng: random.Random) -> Cast:
    """The admin who writes the posts, member accounts, and guests who comment without one."""
    names = _unique_names(seed, MEMBER_COUNT + GUEST_COUNT)
    admin = User(
        display_name=demo_text.ADMIN_NAME,
        email=demo_text.ADMIN_EMAIL,
        role=Role.ADMIN,
        bio=demo_text.ADMIN_BIO,
    )
    members = [
        User(display_name=name, email=_email_for(name), role=Role.MEMBER)
        for name in names[:MEMBER_COUNT]
    ]
    guests = [_new_guest(rng, name) for name in names[MEMBER_COUNT:]]
    db.session.add_all([admin, *members])
    db.session.flush()
    return Cast(admin, members, guests)


def _unique_names(seed: int, count: int) -> list[str]:
    """Distinct full names from a seeded Faker."""
    fake = Faker("en_US")
    fake.seed_instance(seed)
    names: list[str] = []
    while len(names) < count:
        name = f"{fake.first_name()} {fake.last_name()}"
        if name not in names:
            names.append(name)
    return names


def _email_for(name: str) -> str:
    """A reserved-domain address made from the name, e.g. ada.lovelace@example.com."""
    local = re.sub(r"[^a-z]+", ".", name.lower()).strip(".")
    return f"{local}@example.com"


def _new_guest(rng: random.Random, name: str) -> Guest:
    """A commenter without an account; some leave a website."""
    handle = re.sub(r"[^a-z]+", "", name.split()[0].lower())
    url = f"https://example.org/~{handle}" if rng.random() < GUEST_URL_SHARE else None
    return Guest(name, _email_for(name), url, f"{rng.getrandbits(128):032x}")


def _create_categories() -> dict[str, Category]:
    """The categories, keyed by slug, in display order."""
    categories = {
        slug: Category(slug=slug, name=name, description=description, position=position)
        for position, (slug, name, description) in enumerate(demo_text.CATEGORIES)
    }
    db.session.add_all(categories.values())
    return categories


def _create_post(
    plan: PostPlan, author: User, categories: dict[str, Category], anchor: datetime
) -> Post:
    """A published post, rendered, with its excerpt and series details."""
    body_html = render(plan.text.body)
    in_series = plan.series_position is not None
    return Post(
        slug=plan.text.slug,
        title=plan.text.title,
        body_source=plan.text.body,
        body_html=body_html,
        excerpt=_excerpt(body_html),
        author=author,
        category=categories[plan.category_slug],
        series_name=demo_text.SERIES_NAME if in_series else None,
        series_position=plan.series_position,
        series_total=len(demo_text.SERIES_PARTS) if in_series else None,
        published_at=anchor - timedelta(days=plan.days_ago) + PUBLISHED_AT_TIME,
    )


def _excerpt(body_html: str) -> str:
    """The opening of the post as plain text, about EXCERPT_LENGTH characters, cut at a word."""
    text = html.unescape(_ANY_TAG.sub("", _BLOCK_TAG.sub(" ", body_html)))
    text = " ".join(text.split())
    if len(text) <= EXCERPT_LENGTH:
        return text
    return text[:EXCERPT_LENGTH].rsplit(" ", 1)[0].rstrip(",.;:") + "…"


def _insert_thread(
    post: Post, planned: list[PlannedReply], rendered: Callable[[str], str]
) -> list[Reply]:
    """Insert a thread in batches; once ids exist, give each reply its parent, path and root."""
    rows: list[Reply] = []
    for start in range(0, len(planned), INSERT_BATCH_SIZE):
        batch = planned[start : start + INSERT_BATCH_SIZE]
        new_rows = [_new_reply(post, item, rendered) for item in batch]
        db.session.add_all(new_rows)
        db.session.flush()
        rows.extend(new_rows)
        for row, item in zip(new_rows, batch, strict=True):
            row.place(rows[item.parent_index] if item.parent_index is not None else None)
    return rows


def _new_reply(post: Post, item: PlannedReply, rendered: Callable[[str], str]) -> Reply:
    """An unplaced reply row: everything but parent, path and root, which need ids."""
    speaker = item.speaker
    guest = speaker if isinstance(speaker, Guest) else None
    return Reply(
        post_id=post.id,
        depth=item.depth,
        status=ReplyStatus.PENDING if item.held or item.spam else ReplyStatus.APPROVED,
        body_source=item.body,
        body_html=rendered(item.body),
        author_id=None if isinstance(speaker, Guest) else speaker.id,
        guest_name=guest.name if guest else None,
        guest_email=guest.email if guest else None,
        guest_url=guest.url if guest else None,
        guest_token=guest.token if guest else None,
        created_at=item.created_at,
    )


def _moderate(
    post: Post, planned: list[PlannedReply], rows: list[Reply], settings: ModerationSettings
) -> None:
    """Replies meant to be held or caught go through the rules, as a new reply would.

    Replayed as of their own time (as rule backtests do): the rules see only what came before,
    and nothing is refused for being posted "now" on an old post.
    """
    for item, row in zip(planned, rows, strict=True):
        if not (item.held or item.spam):
            continue
        speaker = item.speaker
        user = speaker if isinstance(speaker, User) else None
        actor = Actor(user=user, guest_token=None if isinstance(speaker, User) else speaker.token)
        draft = Draft(
            actor=actor,
            post=post,
            parent=rows[item.parent_index] if item.parent_index is not None else None,
            body_source=row.body_source,
            guest_name=row.guest_name,
            guest_email=row.guest_email,
            guest_url=row.guest_url,
            as_of=row.created_at,
        )
        decision = decide(draft, settings)
        row.status, row.held_reason = decision.status, decision.reason
        row.spam_score, row.decision_trace = decision.spam_score, decision.trace


def _add_likes(
    rng: random.Random, replies: list[Reply], members: list[User], anchor: datetime
) -> int:
    """Members like a share of approved replies, once each; like_count matches the rows."""
    likes: list[dict[str, object]] = []
    for reply in replies:
        if reply.status is not ReplyStatus.APPROVED or rng.random() >= LIKED_SHARE:
            continue
        likers = [member for member in members if member.id != reply.author_id]
        chosen = rng.sample(likers, min(len(likers), int(rng.paretovariate(LIKES_TAIL))))
        for member in chosen:
            liked_at = reply.created_at + timedelta(seconds=rng.randint(60, 2 * 86_400))
            likes.append(
                {"reply_id": reply.id, "user_id": member.id, "created_at": min(liked_at, anchor)}
            )
        reply.like_count = len(chosen)
    if likes:
        db.session.execute(insert(Like), likes)  # one executemany: like ids are never needed
    return len(likes)
