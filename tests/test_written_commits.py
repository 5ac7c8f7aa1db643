"""This process's commits that wrote are counted, so a reader remembering rows between requests
sees its own process's writes at once; reads and rolled-back writes leave the count alone."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import text

from forum.extensions import db
from forum.written_commits import written_commits
from tests.factories import make_post


def test_a_commit_that_wrote_is_counted_after_it_commits(app: Flask) -> None:
    post = make_post()
    db.session.commit()
    before = written_commits()
    db.session.execute(text("UPDATE post SET title = 'Renamed' WHERE id = :id"), {"id": post.id})
    assert written_commits() == before  # not before the commit: a reader would read old rows
    db.session.commit()
    assert written_commits() != before


def test_reads_and_rolled_back_writes_are_not_counted(app: Flask) -> None:
    post = make_post()
    db.session.commit()
    before = written_commits()
    db.session.execute(text("SELECT title FROM post")).all()
    db.session.commit()
    db.session.execute(text("UPDATE post SET title = 'Renamed' WHERE id = :id"), {"id": post.id})
    db.session.rollback()
    assert written_commits() == before


def test_a_write_in_autocommit_is_counted_at_once(app: Flask) -> None:
    post = make_post()
    db.session.commit()
    before = written_commits()
    with db.engine.connect() as connection:
        autocommit = connection.execution_options(isolation_level="AUTOCOMMIT")
        autocommit.execute(
            text("UPDATE post SET title = 'Renamed' WHERE id = :id"), {"id": post.id}
        )
        assert written_commits() != before
