"""Importing the real WordPress exports kept in ../shared/fixtures (skipped where absent)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.services.importing import ImportFileError
from forum.services.importing import Options
from forum.services.importing import import_file
from forum.services.importing.report import lines
from tests.export_files import shared_fixture


def test_import_theme_unit_test_keeps_nine_deep_thread(app: Flask) -> None:
    path = shared_fixture("wordpress/theme-unit-test-data.xml")
    report = import_file(kind="wordpress", path=path, options=Options())
    assert report.imported["comment"] > 20 and report.imported["page"] > 10
    assert "4 categories" in lines(report.as_dict())[0]  # one only the scheduled post has
    scheduled = db.session.scalars(select(Post).where(Post.title == "Scheduled")).one()
    assert scheduled.is_scheduled  # a WordPress "future" post waits for its date here too
    post = db.session.scalars(select(Post).where(Post.slug == "template-comments")).one()
    depths = db.session.scalars(select(Reply.depth).where(Reply.post_id == post.id)).all()
    assert max(depths) == 9
    assert (
        post.original_url == "https://wpthemetestdata.wordpress.com/2012/01/03/template-comments/"
    )
    held = db.session.scalar(select(func.count()).where(Reply.status == ReplyStatus.PENDING))
    assert held == 3
    again = import_file(kind="wordpress", path=path, options=Options())
    assert not again.imported


def test_import_utf8_challenges_keeps_the_text(app: Flask) -> None:
    path = shared_fixture("wordpress/wxr-utf-8-challenges.xml")
    report = import_file(kind="wordpress", path=path, options=Options())
    assert report.imported["post"] >= 1
    titles = db.session.scalars(select(Post.title)).all()
    assert any("🌲" in title and "Frost" in title for title in titles)
    assert not any("\u202e" in title for title in titles)  # no direction overrides


def test_import_malformed_file_names_the_line_and_imports_nothing(app: Flask) -> None:
    path = shared_fixture("wordpress/malformed-simple.xml")
    with pytest.raises(ImportFileError) as refused:
        import_file(kind="wordpress", path=path, options=Options())
    assert "line 14" in refused.value.message
    assert db.session.scalar(select(func.count(Post.id))) == 0
