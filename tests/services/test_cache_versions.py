"""Post versions go up with every write a page shows, and only with those."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import event

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models.base import utcnow
from forum.services import cache_versions
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


def _version(post_id: int) -> int:
    post = db.session.get(Post, post_id, populate_existing=True)
    assert post is not None
    return post.version


def test_change_to_an_expired_reply_bumps_its_post(app: Flask) -> None:
    post, other = make_post(), make_post()
    reply = make_reply(post)  # committed: every attribute is expired now
    before, other_before = _version(post.id), _version(other.id)
    db.session.expire(reply)
    reply.status = ReplyStatus.TRASH  # set without loading post_id
    db.session.commit()
    assert _version(post.id) == before + 1
    assert _version(other.id) == other_before


def test_bulk_update_bumps_the_posts_whose_replies_it_matches(app: Flask) -> None:
    post, other = make_post(), make_post()
    make_reply(post)
    before, other_before = _version(post.id), _version(other.id)
    db.session.execute(
        db.update(Reply).where(Reply.post_id == post.id).values(status=ReplyStatus.PENDING)
    )
    db.session.commit()
    assert (_version(post.id), _version(other.id)) == (before + 1, other_before)


def test_member_change_no_page_shows_leaves_every_version(app: Flask) -> None:
    member = make_user()
    post = make_post()
    make_reply(post, author=member)
    before = _version(post.id)
    member.bio = "Grows leeks."
    db.session.commit()
    assert _version(post.id) == before
    member.display_name = "Leek Grower"
    db.session.commit()
    assert _version(post.id) == before + 1


def test_a_transaction_bumps_each_post_once_just_before_its_commit(app: Flask) -> None:
    post = make_post()
    before = _version(post.id)
    statements: list[str] = []
    listener = lambda *args: statements.append(str(args[2]))  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        reply = make_reply(post, commit=False)
        db.session.flush()
        reply.collapsed = True  # a second flush, of the same post's reply
        db.session.flush()
        assert not any(s.startswith("UPDATE post SET version") for s in statements)
        db.session.commit()
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert sum(s.startswith("UPDATE post SET version") for s in statements) == 1
    assert _version(post.id) == before + 1


def test_flushed_changes_rolled_back_bump_nothing(app: Flask) -> None:
    post, other = make_post(), make_post()
    before = _version(post.id)
    make_reply(post, commit=False)
    db.session.flush()
    db.session.rollback()
    make_reply(other)  # the next transaction's commit
    assert _version(post.id) == before


def test_listing_version_changes_when_a_scheduled_post_goes_live(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = utcnow()
    make_post(published_at=now + timedelta(hours=1))
    before = cache_versions.listing_version(db.session.connection())
    monkeypatch.setattr(cache_versions, "utcnow", lambda: now + timedelta(hours=2))
    # No write: time alone made it live.
    assert cache_versions.listing_version(db.session.connection()) != before
