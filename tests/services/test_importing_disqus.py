"""Importing Disqus exports: threads join posts by address, or become imported pages."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.services.importing import Options
from forum.services.importing import import_file
from forum.services.importing.report import lines
from tests.export_files import Item
from tests.export_files import disqus
from tests.export_files import shared_fixture
from tests.export_files import wxr


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_disqus_comments_join_the_wordpress_post_with_the_same_address(
    app: Flask, tmp_path: Path
) -> None:
    import_file(
        kind="wordpress",
        path=_write(tmp_path, "wp.xml", wxr([Item(1, "Hello", "hello")])),
        options=Options(),
    )
    export = disqus(
        threads=[
            (10, "https://blog.example/hello", "Hello"),
            (11, "https://blog.example/new-page/", "New page"),
        ],
        posts=[(1, 10, None, ""), (2, 10, 1, ""), (3, 10, 2, "spam"), (4, 11, None, "deleted")],
    )
    report = import_file(kind="disqus", path=_write(tmp_path, "dq.xml", export), options=Options())
    assert report.imported == {"comment": 4, "page": 1}
    hello = db.session.scalars(select(Post).where(Post.slug == "hello")).one()
    thread = db.session.scalars(
        select(Reply).where(Reply.post_id == hello.id).order_by(Reply.path)
    ).all()
    assert [reply.depth for reply in thread] == [0, 1, 2]
    assert thread[2].status is ReplyStatus.SPAM and thread[0].guest_name == "Visitor 1"
    assert thread[0].ip_address == "198.51.100.1" and thread[0].guest_email == "v1@example.org"
    page = db.session.scalars(
        select(Post).where(Post.original_url == "https://blog.example/new-page/")
    ).one()
    assert page.imported_as == "disqus-page" and page.title == "New page"
    removed = db.session.scalars(select(Reply).where(Reply.post_id == page.id)).one()
    assert removed.status is ReplyStatus.TRASH


def test_import_disqus_child_before_parent_still_nests(app: Flask, tmp_path: Path) -> None:
    export = disqus(
        threads=[(10, "https://x.example/a", "A")], posts=[(2, 10, 1, ""), (1, 10, None, "")]
    )
    import_file(kind="disqus", path=_write(tmp_path, "dq.xml", export), options=Options())
    child = db.session.scalars(select(Reply).where(Reply.guest_name == "Visitor 2")).one()
    assert child.depth == 1 and child.parent is not None and child.parent.guest_name == "Visitor 1"


def test_import_isso_disqus_export_skips_the_orphan_post(app: Flask) -> None:
    path = shared_fixture("disqus/isso-tests-disqus.xml")
    report = import_file(kind="disqus", path=path, options=Options())
    assert report.imported == {"comment": 2, "page": 1}
    assert "Skipped 1 comment: its thread is not in the file." in lines(report.as_dict())
    post = db.session.scalars(select(Post)).one()
    assert post.original_url == "http://example.org/" and post.title == "Hello, World!"
    reply = db.session.scalars(select(Reply).where(Reply.guest_name == "user")).one()
    assert reply.body_html == "<p>Hello, World.</p>" and reply.depth == 1
    again = import_file(kind="disqus", path=path, options=Options())
    assert not again.imported
    assert db.session.scalar(select(func.count(Reply.id))) == 2
