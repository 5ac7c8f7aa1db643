"""`flask --app wsgi porch post create` for scripts."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import PostStatus
from forum.models import Role
from tests.factories import make_category
from tests.factories import make_user


@pytest.fixture
def body(tmp_path: Path) -> Path:
    path = tmp_path / "body.md"
    path.write_text("# Hello\n\nFrom a script.", encoding="utf-8")
    return path


def _run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=["porch", "post", "create", *args])
    return result.exit_code, result.output


def test_post_create_publishes_and_prints_the_url(app: Flask, body: Path) -> None:
    admin = make_user(role=Role.ADMIN)
    make_category(slug="notes")
    code, output = _run(app, "--title", "Script post", "--file", str(body), "--category", "notes")
    assert code == 0, output
    assert output.strip().endswith("http://localhost/t/script-post")
    post = db.session.scalars(select(Post)).one()
    assert post.is_live() and post.author_id == admin.id and "<h1>Hello</h1>" in post.body_html
    assert post.category is not None and post.category.slug == "notes"


def test_post_create_drafts_and_schedules(app: Flask, body: Path) -> None:
    make_user(role=Role.ADMIN)
    code, output = _run(app, "--title", "D", "--file", str(body), "--draft", "--slug", "d")
    assert code == 0 and "Draft saved" in output
    code, output = _run(
        app, "--title", "S", "--file", str(body), "--publish-at", "2099-01-01T09:00"
    )
    assert code == 0 and "Scheduled" in output and "/t/s" in output
    states = {slug: status for slug, status in db.session.execute(select(Post.slug, Post.status))}
    assert states == {"d": PostStatus.DRAFT, "s": PostStatus.PUBLISHED}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--category", "nope"], "There is no category with the slug “nope”."),
        (["--publish-at", "tomorrow"], "is not an ISO date and time"),
        (["--draft", "--publish-at", "2099-01-01"], "either --draft or --publish-at"),
        (["--slug", "Bad Slug"], "slug: Use lower-case letters"),
        (["--author", "nobody@example.org"], "No account with the email"),
    ],
)
def test_post_create_bad_input_fails_with_a_clear_message(
    app: Flask, body: Path, args: list[str], message: str
) -> None:
    make_user(role=Role.ADMIN)
    code, output = _run(app, "--title", "T", "--file", str(body), *args)
    assert code != 0 and message in output
    assert db.session.scalars(select(Post)).all() == []


def test_post_create_without_an_admin_or_file_fails(app: Flask, tmp_path: Path) -> None:
    code, output = _run(app, "--title", "T", "--file", str(tmp_path / "missing.md"))
    assert code != 0 and "Cannot read" in output
    (tmp_path / "b.md").write_text("x")
    code, output = _run(app, "--title", "T", "--file", str(tmp_path / "b.md"))
    assert code != 0 and "No admin account yet" in output
