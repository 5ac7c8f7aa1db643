"""Each test starts from an empty database: the second test must not see the first one's post."""

from __future__ import annotations

from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from tests.factories import make_post


def test_isolation_first_writes_a_post(app: object) -> None:
    make_post(slug="isolation-probe")
    assert db.session.scalar(select(func.count(Post.id))) == 1


def test_isolation_second_sees_an_empty_database(app: object) -> None:
    assert db.session.scalar(select(func.count(Post.id))) == 0
    make_post(slug="isolation-probe")  # the same unique slug is free again
