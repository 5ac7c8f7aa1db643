"""The demo loader: a believable site, with trees and counters as consistent as real data."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import Integer
from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import cast
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import aliased

from forum.demo import DatabaseNotEmpty
from forum.demo import load_demo
from forum.extensions import db
from forum.models import Category
from forum.models import Like
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from tests.conftest import database_for
from tests.conftest import make_app
from tests.factories import make_post

TODAY = datetime(2026, 3, 1, tzinfo=UTC)
URL_SAFE_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.fixture
def summary(app: Flask) -> str:
    return load_demo(seed=7, today=TODAY)


def count(statement: Select[Any]) -> int:
    """Run a SELECT count(...) and return the number."""
    return db.session.scalar(statement) or 0


def test_summary_counts_what_was_stored(summary: str) -> None:
    posts = count(select(func.count(Post.id)))
    categories = count(select(func.count(Category.id)))
    replies = count(select(func.count(Reply.id)))
    likes = count(select(func.count(Like.id)))
    assert (
        summary == f"{posts} posts, {categories} categories, {replies:,} replies, {likes:,} likes"
    )
    assert categories >= 3
    assert replies >= 2_000
    assert likes > 0


def test_series_is_numbered_one_to_five_in_publication_order(summary: str) -> None:
    series = db.session.scalars(
        select(Post).where(Post.series_name.is_not(None)).order_by(Post.published_at)
    ).all()
    assert [post.series_position for post in series] == [1, 2, 3, 4, 5]
    assert {post.series_total for post in series} == {5}
    assert len({post.series_name for post in series}) == 1


def test_posts_are_published_rendered_and_excerpted(summary: str) -> None:
    posts = db.session.scalars(select(Post)).all()
    assert len({post.published_at for post in posts}) == len(posts)
    for post in posts:
        assert URL_SAFE_SLUG.match(post.slug), post.slug
        assert post.published_at.tzinfo is not None
        assert post.published_at < TODAY
        assert post.author is not None and post.author.role is Role.ADMIN
        assert post.category is not None
        assert post.body_html.startswith("<p>")
        assert "<" not in post.excerpt and 0 < len(post.excerpt) <= 201
    assert any("<blockquote>" in post.body_html for post in posts)


def test_one_thread_is_long_and_eight_levels_deep(summary: str) -> None:
    per_post = db.session.execute(
        select(Reply.post_id, func.count(Reply.id), func.max(Reply.depth)).group_by(Reply.post_id)
    ).all()
    longest = max(per_post, key=lambda row: row[1])
    assert longest[1] >= 1_500
    assert longest[2] == 7


def test_every_path_and_root_follow_from_the_parent(summary: str) -> None:
    parent = aliased(Reply)
    own_segment = func.substr(Reply.path, func.length(Reply.path) - 9)
    top_level_wrong = and_(
        Reply.parent_id.is_(None),
        or_(Reply.path != own_segment, Reply.root_id != Reply.id, Reply.depth != 0),
    )
    nested_wrong = and_(
        Reply.parent_id.is_not(None),
        or_(
            Reply.path != parent.path + "/" + own_segment,
            Reply.root_id != parent.root_id,
            Reply.depth != parent.depth + 1,
            Reply.post_id != parent.post_id,
            Reply.created_at <= parent.created_at,
        ),
    )
    broken = (
        select(func.count(Reply.id))
        .outerjoin(parent, Reply.parent_id == parent.id)
        .where(
            or_(
                cast(own_segment, Integer) != Reply.id,
                func.length(Reply.path) != Reply.depth * 11 + 10,  # ten-digit segments
                top_level_wrong,
                nested_wrong,
            )
        )
    )
    assert count(select(func.count(Reply.id))) > 0
    assert count(broken) == 0


def test_replies_are_written_in_id_order_after_publication(summary: str) -> None:
    for post in db.session.scalars(select(Post)):
        times = db.session.scalars(
            select(Reply.created_at).where(Reply.post_id == post.id).order_by(Reply.id)
        ).all()
        assert times[0] > post.published_at
        assert times == sorted(set(times))  # strictly increasing
        assert times[-1] < TODAY


def test_like_counts_match_the_like_rows(summary: str) -> None:
    likes_of_reply = select(func.count(Like.id)).where(Like.reply_id == Reply.id)
    mismatched = select(func.count(Reply.id)).where(
        Reply.like_count != likes_of_reply.scalar_subquery()
    )
    self_likes = (
        select(func.count(Like.id))
        .join(Reply, Reply.id == Like.reply_id)
        .where(Like.user_id == Reply.author_id)
    )
    assert count(mismatched) == 0
    assert count(self_likes) == 0
    assert count(select(func.max(Reply.like_count))) > 1


def test_guests_members_and_the_author_all_reply(summary: str) -> None:
    admin = db.session.scalars(select(User).where(User.role == Role.ADMIN)).one()
    members = count(select(func.count(User.id)).where(User.role == Role.MEMBER))
    by_admin = count(select(func.count(Reply.id)).where(Reply.author_id == admin.id))
    nested_by_admin = count(
        select(func.count(Reply.id)).where(Reply.author_id == admin.id, Reply.depth > 0)
    )
    guests = db.session.scalars(select(Reply).where(Reply.author_id.is_(None))).all()
    assert members >= 15
    assert by_admin > 0 and nested_by_admin == by_admin  # the author answers readers
    assert guests and all(reply.guest_name and reply.guest_email for reply in guests)
    assert any(reply.guest_url for reply in guests)


def test_a_few_unanswered_guest_replies_await_moderation(summary: str) -> None:
    pending = db.session.scalars(select(Reply).where(Reply.status == ReplyStatus.PENDING)).all()
    answered = set(db.session.scalars(select(Reply.parent_id).where(Reply.parent_id.is_not(None))))
    assert 1 <= len(pending) <= 10
    assert all(reply.author_id is None and reply.guest_token for reply in pending)
    assert all(reply.id not in answered and reply.like_count == 0 for reply in pending)
    others = select(func.count(Reply.id)).where(
        Reply.status.not_in([ReplyStatus.APPROVED, ReplyStatus.PENDING, ReplyStatus.SPAM])
    )
    assert count(others) == 0


def test_load_demo_held_and_spam_replies_carry_the_rules_reason_and_trace(summary: str) -> None:
    waiting = db.session.scalars(select(Reply).where(Reply.status != ReplyStatus.APPROVED)).all()
    held = [reply for reply in waiting if reply.status is ReplyStatus.PENDING]
    caught = [reply for reply in waiting if reply.status is ReplyStatus.SPAM]
    assert held and caught
    assert {reply.held_reason for reply in held} == {"first_time"}
    assert {reply.held_reason for reply in caught} == {"spam_score"}
    for reply in waiting:
        rules = [step["rule"] for step in reply.decision_trace]
        assert rules == ["blocklist", "links", "keyword", "first_time", "spam_score"]
        assert reply.spam_score is not None
        verdicts = {step["rule"]: step["verdict"] for step in reply.decision_trace}
        assert verdicts["first_time"] == "hold"
    assert all(reply.spam_score is not None and reply.spam_score >= 0.9 for reply in caught)


def test_reply_markdown_is_rendered(summary: str) -> None:
    bodies = db.session.scalars(select(Reply.body_html)).all()
    assert all(body.startswith("<p>") or body.startswith("<blockquote>") for body in bodies)
    assert any("<em>" in body for body in bodies)
    assert any("<blockquote>" in body for body in bodies)
    assert any('href="https://example.org' in body for body in bodies)


def test_same_seed_gives_the_same_content_on_fresh_databases() -> None:
    def snapshot() -> tuple[str, list[str], list[tuple[object, ...]]]:
        app = make_app()
        with database_for(app):
            summary = load_demo(seed=11, today=TODAY)
            titles = list(db.session.scalars(select(Post.title).order_by(Post.id)))
            replies = db.session.execute(
                select(
                    Reply.path,
                    Reply.author_id,
                    Reply.guest_name,
                    Reply.body_source,
                    Reply.like_count,
                    Reply.created_at,
                ).order_by(Reply.id)
            ).all()
            return summary, titles, [tuple(row) for row in replies]

    first, second = snapshot(), snapshot()
    assert first == second
    assert len(first[2]) >= 2_000


def test_refuses_a_site_that_already_has_posts(app: Flask) -> None:
    make_post()
    with pytest.raises(DatabaseNotEmpty):
        load_demo()
