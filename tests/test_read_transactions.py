"""On PostgreSQL a transaction that only read ends with COMMIT, so psycopg keeps the statements it
prepared; one that changed anything is still rolled back, and nothing it did is kept."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import select
from sqlalchemy import text

from forum.extensions import db
from forum.models import Post
from forum.read_transactions import only_reads
from tests.conftest import EXTERNAL_DATABASE_URL
from tests.factories import make_post
from tests.factories import make_reply

postgresql = pytest.mark.skipif(
    EXTERNAL_DATABASE_URL is None, reason="psycopg's prepared statements need PostgreSQL"
)


def _prepared_statements() -> list[str]:
    found = db.session.execute(text("SELECT statement FROM pg_prepared_statements"))
    return list(found.scalars())


@postgresql
def test_a_read_asked_in_one_request_after_another_is_prepared(app: Flask) -> None:
    post = make_post(title="Asked often")
    db.session.commit()
    for _ in range(7):  # psycopg prepares a statement on its sixth run
        assert db.session.scalar(select(Post.title).where(Post.id == post.id)) == "Asked often"
        db.session.rollback()  # as a request's session does when it closes
    assert any("FROM post" in statement for statement in _prepared_statements())


@postgresql
def test_a_write_rolled_back_is_not_kept(app: Flask) -> None:
    post = make_post(title="Kept")
    db.session.commit()
    db.session.execute(text("UPDATE post SET title = 'Lost' WHERE id = :id"), {"id": post.id})
    db.session.rollback()
    make_reply(post, commit=False)  # an ORM flush
    db.session.rollback()
    with db.engine.connect() as other:
        titles = other.execute(text("SELECT title FROM post")).scalars().all()
        replies = other.execute(text("SELECT count(*) FROM reply")).scalar()
    assert (titles, replies) == (["Kept"], 0)


@postgresql
def test_a_setting_changed_in_a_rolled_back_transaction_is_undone(app: Flask) -> None:
    before = db.session.execute(text("SHOW statement_timeout")).scalar()
    db.session.execute(text("SET statement_timeout = '1234ms'"))
    db.session.rollback()
    assert db.session.execute(text("SHOW statement_timeout")).scalar() == before


@postgresql
def test_a_failed_statement_after_reads_is_rolled_back(app: Flask) -> None:
    make_post()
    db.session.commit()
    db.session.execute(select(Post.id)).all()
    with pytest.raises(Exception, match="no_such_table"):
        db.session.execute(text("SELECT * FROM no_such_table"))
    db.session.rollback()
    assert db.session.scalar(select(Post.title)) is not None  # the connection is usable again


def test_only_plain_reads_count_as_reads() -> None:
    assert only_reads("  select 1")
    assert only_reads("SHOW statement_timeout")
    assert not only_reads("WITH new_reply AS (SELECT 1) INSERT INTO reply DEFAULT VALUES")
    assert not only_reads("SET statement_timeout = 0")
    assert not only_reads("SAVEPOINT sa_savepoint_1")
    assert not only_reads("UPDATE post SET title = ''")
