"""Export a site as WXR, import it into an empty Porch: the same threads, statuses, authors."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.models.base import utcnow
from forum.services.exporting.wxr import WxrSite
from forum.services.exporting.wxr import write_wxr
from forum.services.importing import Options
from forum.services.importing import import_file
from forum.text.plain import plain_text
from forum.text.render import render
from forum.text.render import render_article
from tests.conftest import database_for
from tests.conftest import make_app
from tests.export_site import TRICKY
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

WEEK = timedelta(days=7)
SITE = WxrSite("Round trip", "https://talk.example.org", lambda s: f"https://talk.example.org/{s}")
CODE = "Before the code:\n\n```\nline one\n\nline three\n```\n\nAfter it."
ARTICLE = (
    "## A heading\n\n![a view](https://img.example.org/v.png)\n\n"
    "| a | b |\n|---|---|\n| 1 | 2 |\n\n"
)


@dataclass(frozen=True)
class Seen:
    """A reply as a reader sees it: its words, who wrote it, its state and what it answers."""

    text: str
    html: str
    author: str
    account_email: str | None
    status: ReplyStatus
    answers: str | None
    depth: int


def _build_site() -> None:
    """Posts in categories, replies five deep, every status, guests and accounts, unicode."""
    alice = make_user(display_name="Alice Ünïcødé", email="alice@example.org")
    bob = make_user(display_name="Bob ✓ 日本語", email="bob@example.org")
    news = make_category(slug="news", name="Nouvelles ✓")
    help_ = make_category(slug="help", name="Help & advice")
    first = make_post(
        slug="first-post", title="First & best", author_id=alice.id, category_id=news.id
    )
    second = make_post(
        slug="zoe-cafe", title="Ζωή 🌲 — café", author_id=bob.id, category_id=help_.id
    )
    make_post(
        slug="no-category",
        title="No category, no author",
        body_source=ARTICLE + CODE,
        body_html=render_article(ARTICLE + CODE),
    )
    scheduled = make_post(slug="next-week", title="Scheduled", published_at=utcnow() + WEEK)
    make_reply(scheduled, body_source="Seen early by its author", author_id=alice.id)
    chain = make_reply(first, body_source="Top of the chain", guest_name="Zoë Guest")
    for depth, author in enumerate([alice, None, bob, None], start=1):
        fields = {"author_id": author.id} if author else {"guest_name": f"Guest depth {depth}"}
        chain = make_reply(first, parent=chain, body_source=f"Depth {depth} answer", **fields)
    make_reply(first, body_source="Held for review", status=ReplyStatus.PENDING)
    make_reply(first, body_source="Buy pills now", status=ReplyStatus.SPAM)
    make_reply(first, body_source="Binned by a moderator", status=ReplyStatus.TRASH)
    gone = make_reply(first, body_source="Deleted by its author", author_id=bob.id)
    make_reply(first, parent=gone, body_source="An answer to a deleted reply")
    gone.deleted_at = utcnow()
    make_reply(second, body_source=TRICKY, body_html=render(TRICKY), guest_url="https://ex.org/")
    make_reply(second, body_source=CODE, author_id=alice.id)
    make_reply(second, body_source="Line one\nline two\n\nA second paragraph", guest_name="")
    older = make_reply(second, body_source="Moved under a younger reply")
    younger = make_reply(second, body_source="Younger, yet its parent", author_id=bob.id)
    older.depth = 1
    older.place(younger)  # the file lists this child before its parent
    db.session.commit()


def _threads() -> dict[str, list[Seen]]:
    """Each post's title and its replies as readers see them, in a stable order."""
    texts = {r.id: plain_text(r.body_html) for r in db.session.scalars(select(Reply))}
    threads: dict[str, list[Seen]] = {}
    for post in db.session.scalars(select(Post)):
        replies = db.session.scalars(select(Reply).where(Reply.post_id == post.id)).all()
        threads[post.title] = sorted(
            (_seen(reply, texts) for reply in replies), key=lambda seen: seen.text
        )
    return threads


def _seen(reply: Reply, texts: dict[int, str]) -> Seen:
    status = ReplyStatus.TRASH if reply.deleted_at is not None else reply.status
    return Seen(
        text=texts[reply.id],
        html=reply.body_html,
        author=reply.author_name,
        account_email=reply.author.email if reply.author else None,
        status=status,
        answers=texts[reply.parent_id] if reply.parent_id else None,
        depth=reply.depth,
    )


def _posts() -> list[tuple[str, str, str | None, str | None, str, str, bool]]:
    rows = db.session.execute(select(Post).order_by(Post.title)).scalars()
    return [
        (
            post.title,
            post.slug,
            post.category.slug if post.category else None,
            post.category.name if post.category else None,
            post.author.display_name if post.author else "",
            post.body_html,
            post.is_scheduled,
        )
        for post in rows
    ]


@pytest.fixture
def empty_porch(tmp_path: Path) -> Iterator[Flask]:
    """A second Porch with its own SQLite file, nothing in it."""
    target = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'target.sqlite3'}")
    with database_for(target):
        yield target


@pytest.fixture
def exported(app: Flask, tmp_path: Path) -> tuple[Path, dict[str, list[Seen]], list[tuple]]:
    _build_site()
    path = tmp_path / "export.xml"
    with path.open("w", encoding="utf-8") as out:
        write_wxr(db.engine, out, SITE)
    return path, _threads(), _posts()


def test_wxr_export_imported_into_empty_porch_gives_same_posts_and_categories(
    exported: tuple[Path, dict[str, list[Seen]], list[tuple]], empty_porch: Flask
) -> None:
    path, _, posts = exported
    with empty_porch.app_context():
        import_file(kind="wordpress", path=path, options=Options())
        assert _posts() == posts


def test_wxr_export_imported_into_empty_porch_gives_same_threads_statuses_and_authors(
    exported: tuple[Path, dict[str, list[Seen]], list[tuple]], empty_porch: Flask
) -> None:
    path, threads, _ = exported
    with empty_porch.app_context():
        report = import_file(kind="wordpress", path=path, options=Options())
        assert _threads() == threads
        assert report.imported["comment"] == sum(len(seen) for seen in threads.values())
        assert not report.notes and not report.skipped


def test_wxr_export_imported_into_empty_porch_gives_accounts_without_passwords(
    exported: tuple[Path, dict[str, list[Seen]], list[tuple]], empty_porch: Flask
) -> None:
    path, _, _ = exported
    with empty_porch.app_context():
        import_file(kind="wordpress", path=path, options=Options())
        users = db.session.scalars(select(User).order_by(User.display_name)).all()
        assert [(u.display_name, u.email, u.password_hash) for u in users] == [
            ("Alice Ünïcødé", "alice@example.org", None),
            ("Bob ✓ 日本語", "bob@example.org", None),
        ]
