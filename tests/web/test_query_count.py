"""A thread page, and the moderation queue, cost the same few SQL statements whatever their size."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import Flag
from forum.models import FlagReason
from forum.models import Post
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from tests.conftest import reading_afresh
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


def _grow_thread(post: Post, total: int) -> None:
    """A mix of top-level replies and chains up to eight deep, some by members."""
    members = [make_user() for _ in range(5)]
    made = 0
    while made < total:
        parent = make_reply(post, commit=False)
        made += 1
        for depth in range(min(7, total - made)):
            author = members[depth % 5] if depth % 2 else None
            parent = make_reply(post, parent, commit=False, author=author)
            made += 1
    db.session.commit()


def _statements_for(client: FlaskClient, url: str, count_queries: Any) -> int:
    with count_queries() as statements:
        response = client.get(url)
    assert response.status_code == 200
    return len(statements)


def test_thread_page_query_count_is_the_same_for_10_and_1500_replies(
    app: Flask, client: FlaskClient, count_queries: Any, login: Any
) -> None:
    app.config["REPLIES_PER_PAGE"] = 1000  # the whole 1,500-reply thread on one page
    small, large = make_post(), make_post()
    _grow_thread(small, 10)
    _grow_thread(large, 1500)
    login(make_user())
    reading_afresh(client)
    small_count = _statements_for(client, f"/t/{small.slug}", count_queries)
    large_count = _statements_for(client, f"/t/{large.slug}", count_queries)
    html = client.get(f"/t/{large.slug}").get_data(as_text=True)
    assert html.count('class="reply depth-') == 1500
    assert small_count == large_count
    assert large_count <= 9  # 8, plus one for the signed-in member's unread-notifications count


def test_index_and_permalink_query_counts_do_not_grow_with_content(
    client: FlaskClient, count_queries: Any
) -> None:
    post = make_post()
    _grow_thread(post, 40)
    first = _statements_for(client, "/", count_queries)
    for _ in range(10):
        _grow_thread(make_post(), 8)
    assert _statements_for(client, "/", count_queries) == first
    # Six for the page, one for the version its cached copy is filed under.
    assert _statements_for(client, f"/t/{post.slug}/c/3", count_queries) <= 7


def _grow_queue(post: Post, total: int, members: list[User]) -> None:
    """Held replies by guests and members, with reasons, a decision trace, parents and reports."""
    reasons = ["links", "first_time", None]
    trace = [{"rule": "links", "detail": "3 links ≥ 2", "verdict": "hold"}]
    for n in range(total):
        parent = make_reply(post, commit=False) if n % 4 == 0 else None
        author = {"author": members[n % len(members)]} if n % 3 == 0 else {}
        reply = make_reply(
            post,
            parent,
            commit=False,
            status=ReplyStatus.PENDING,
            held_reason=reasons[n % 3],
            decision_trace=trace if n % 2 else [],
            **author,
        )
        if n % 5 == 0:
            db.session.add(
                Flag(
                    reply_id=reply.id,
                    reporter_token=f"t{n}",
                    reason=FlagReason.SPAM,
                    body_snapshot=reply.body_source,
                )
            )
    db.session.commit()


@pytest.mark.parametrize("tab", ["pending", "flagged", "approved"])
def test_queue_page_query_count_is_the_same_for_10_and_200_pending(
    client: FlaskClient, count_queries: Any, login: Any, tab: str
) -> None:
    login(make_user(role=Role.MODERATOR))
    post, members = make_post(), [make_user() for _ in range(7)]
    _grow_queue(post, 10, members)
    small = _statements_for(client, f"/mod/queue/{tab}", count_queries)
    _grow_queue(make_post(), 190, [make_user() for _ in range(30)])
    large = _statements_for(client, f"/mod/queue/{tab}", count_queries)
    html = client.get("/mod/queue/pending").get_data(as_text=True)
    assert html.count('data-queue-item data-id="') == 50  # a full page of cards
    assert 'data-count="pending">200<' in html
    assert small == large
    # Signed-in user, cards, their reports, their authors' records, every count (and the
    # Pending tab's groups) in one, site settings, the user's unread notifications.
    assert large <= 7
