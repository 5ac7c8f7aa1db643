"""Comments are written a batch at a time: few statements, parents found across batches."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.services.importing import Options
from forum.services.importing import import_file
from forum.services.importing import wordpress
from forum.services.importing.report import lines
from forum.services.importing.writer import Writer
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr


def _import(tmp_path: Path, items: list[Item], batch_size: int = 200) -> list[str]:
    path = tmp_path / "blog.xml"
    path.write_text(wxr(items), encoding="utf-8")
    report = import_file(kind="wordpress", path=path, options=Options(batch_size=batch_size))
    return lines(report.as_dict())


def _tree() -> dict[str, tuple[str | None, int]]:
    """Each reply's text -> (its parent's text, its depth), with paths checked against parents."""
    replies = {r.id: r for r in db.session.scalars(select(Reply))}
    tree = {}
    for reply in replies.values():
        parent = replies.get(reply.parent_id or 0)
        assert reply.path == (f"{parent.path}/" if parent else "") + f"{reply.id:010d}"
        assert reply.root_id == (parent.root_id if parent else reply.id)
        tree[reply.body_source] = (parent.body_source if parent else None, reply.depth)
    return tree


def test_import_children_listed_before_parents_across_batches_are_nested_under_them(
    app: Flask, tmp_path: Path
) -> None:
    # 8 answers 7 answers 6 ... answers 1, listed youngest first, three records per batch.
    comments = [Comment(id=n, parent=n - 1, content=f"c{n}") for n in range(8, 1, -1)]
    comments.append(Comment(id=1, content="c1"))
    report = _import(tmp_path, [Item(1, "Deep", "deep", comments=comments)], batch_size=3)
    assert report == ["Imported: 1 account, 1 category, 8 comments, 1 post."]
    assert _tree() == {f"c{n}": (f"c{n - 1}" if n > 1 else None, n - 1) for n in range(1, 9)}


def test_import_same_comment_twice_in_one_file_is_stored_once(
    app: Flask, tmp_path: Path
) -> None:
    twice = [Comment(id=1, content="once"), Comment(id=1, content="once")]
    report = _import(tmp_path, [Item(1, "Twice", "twice", comments=twice)])
    assert list(_tree()) == ["once"]
    assert "Already imported before (left as they were): 1 comment." in report


def test_import_statements_grow_with_batches_not_with_comments(
    app: Flask, tmp_path: Path, count_queries: Any
) -> None:
    comments = [Comment(id=n, parent=n - 1 if n % 5 else 0) for n in range(1, 401)]
    with count_queries() as statements:
        _import(tmp_path, [Item(1, "Busy", "busy", comments=comments)], batch_size=100)
    assert db.session.scalar(select(db.func.count()).select_from(Reply)) == 400
    assert len(statements) < 60  # about ten per batch of 100, whatever the batch holds


def test_import_each_committed_batch_names_its_new_posts_and_replies(
    app: Flask, tmp_path: Path
) -> None:
    """What a search index (or any later step) would be handed after each commit."""
    path = tmp_path / "blog.xml"
    items = [
        Item(n, f"Post {n}", f"post-{n}", comments=[Comment(id=10 * n + k) for k in range(4)])
        for n in (1, 2)
    ]
    path.write_text(wxr(items), encoding="utf-8")
    batches: list[tuple[list[int], list[int]]] = []

    def handed_on(done: int) -> None:
        batches.append((list(writer.new_post_ids), list(writer.comments.new_reply_ids)))

    writer = Writer(Options(batch_size=3), on_batch=handed_on)
    for record in wordpress.read(path):
        writer.write(record)
    writer.finish()
    assert sorted(i for posts, _ in batches for i in posts) == list(
        db.session.scalars(select(Post.id).order_by(Post.id))
    )
    assert sorted(i for _, replies in batches for i in replies) == list(
        db.session.scalars(select(Reply.id).order_by(Reply.id))
    )
    assert len(batches) > 2  # handed on batch by batch, not all at the end
