"""Importing WordPress exports: what arrives, what is skipped and why, and that nothing repeats."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Category
from forum.models import Post
from forum.models import PostStatus
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.services.importing import ImportFileError
from forum.services.importing import Options
from forum.services.importing import import_file
from forum.services.importing.report import lines
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr


def _chain(first_id: int, depth: int) -> list[Comment]:
    """A reply to a reply to a reply... `depth` levels deep."""
    return [Comment(id=first_id + n, parent=first_id + n - 1 if n else 0) for n in range(depth)]


def _blog() -> list[Item]:
    return [
        Item(id=1, title="First &amp; best", slug="first", comments=_chain(100, 6)),
        Item(
            id=2,
            title="Ünïcødé ✓",
            slug="unicode",
            content="Line one\nline two\n\nSecond paragraph",
            comments=[
                Comment(
                    id=200, approved="1", content="Approved <em>ok</em>", email="fan@example.org"
                ),
                Comment(id=201, approved="0", content="Held"),
                Comment(id=202, approved="spam", content="Buy pills"),
                Comment(id=203, approved="trash", content="Binned"),
                Comment(
                    id=204,
                    content=(
                        'Ζωή 🌲 <script>alert(1)</script><a href="javascript:x" onclick="y">'
                        "link</a><table><tr><td>cell</td></tr></table>"
                    ),
                ),
                Comment(id=205, kind="pingback", author="Other blog", content="[...] linked"),
                Comment(id=206, parent=999, content="My parent was deleted"),
                Comment(
                    id=207,
                    user_id=7,
                    author="The Owner",
                    email="owner@blog.example",
                    content="Thanks!",
                ),
            ],
        ),
        Item(id=3, title="About", slug="about", kind="page"),
        Item(id=4, title="Draft", slug="draft", status="draft", comments=[Comment(id=400)]),
        Item(id=5, title="Photo", slug="photo", kind="attachment"),
    ]


@pytest.fixture
def blog_file(tmp_path: Path) -> Path:
    path = tmp_path / "blog.xml"
    path.write_text(wxr(_blog()), encoding="utf-8")
    return path


def _count(model: type) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_import_wordpress_file_creates_posts_pages_and_threaded_comments(
    app: Flask, blog_file: Path
) -> None:
    report = import_file(kind="wordpress", path=blog_file, options=Options())
    # The draft (and its one comment) comes in too, as a draft at the desk.
    assert report.imported == {"post": 3, "page": 1, "comment": 14, "account": 1, "category": 1}
    first = db.session.scalars(select(Post).where(Post.slug == "first")).one()
    assert first.title == "First & best"
    assert first.original_url == "https://blog.example/first/"
    assert first.guid == "https://blog.example/?p=1" and first.imported_as == "wordpress-post"
    assert first.category is not None and first.category.slug == "news"
    assert first.author is not None and first.author.email == "owner@blog.example"
    chain = db.session.scalars(
        select(Reply).where(Reply.post_id == first.id).order_by(Reply.path)
    ).all()
    assert [reply.depth for reply in chain] == [0, 1, 2, 3, 4, 5]
    assert all(
        child.parent_id == parent.id for parent, child in zip(chain, chain[1:], strict=False)
    )
    assert chain[0].ip_address == "192.0.2.100"


def test_import_wordpress_comment_statuses_map_to_moderation_states(
    app: Flask, blog_file: Path
) -> None:
    import_file(kind="wordpress", path=blog_file, options=Options())
    by_body = {r.body_source: r for r in db.session.scalars(select(Reply))}
    assert by_body["Approved <em>ok</em>"].status is ReplyStatus.APPROVED
    assert by_body["Held"].status is ReplyStatus.PENDING
    assert by_body["Buy pills"].status is ReplyStatus.SPAM
    assert by_body["Binned"].status is ReplyStatus.TRASH


def test_import_wordpress_html_is_sanitised_and_unicode_kept(app: Flask, blog_file: Path) -> None:
    import_file(kind="wordpress", path=blog_file, options=Options())
    reply = db.session.scalars(select(Reply).where(Reply.body_source.contains("Ζωή"))).one()
    assert "Ζωή 🌲" in reply.body_html
    for bad in ("<script", "alert", "javascript:", "onclick", "<table", "<td"):
        assert bad not in reply.body_html
    assert "cell" in reply.body_html  # the text of stripped elements stays
    post = db.session.scalars(select(Post).where(Post.slug == "unicode")).one()
    assert post.title == "Ünïcødé ✓"
    assert post.body_html == "<p>Line one<br>\nline two</p>\n<p>Second paragraph</p>"


def test_import_wordpress_skips_pingbacks_and_attachments_and_says_why(
    app: Flask, blog_file: Path
) -> None:
    report = lines(import_file(kind="wordpress", path=blog_file, options=Options()).as_dict())
    assert "Skipped 1 pingback: not kept without --with-pingbacks." in report
    assert "Skipped 1 other item: attachment is not a post or page." in report
    assert "1 comment: parent missing, attached to the post instead." in report


def test_import_wordpress_draft_stays_a_draft_readers_cannot_open(
    app: Flask, client: FlaskClient, blog_file: Path
) -> None:
    import_file(kind="wordpress", path=blog_file, options=Options())
    draft = db.session.scalar(select(Post).where(Post.title == "Draft"))
    assert draft is not None and draft.status is PostStatus.DRAFT
    assert client.get(f"/t/{draft.slug}").status_code == 404
    assert "Draft" not in client.get("/").get_data(as_text=True)


def test_import_wordpress_private_post_is_a_draft_and_articles_keep_images(
    app: Flask, tmp_path: Path
) -> None:
    article = (
        '<h2>Step two</h2><img src="https://img.example/a.png" alt="chart"><script>x()</script>'
    )
    items = [
        Item(id=1, title="Private", slug="private", status="private"),
        Item(id=2, title="Article", slug="article", content=article),
    ]
    path = tmp_path / "blog.xml"
    path.write_text(wxr(items), encoding="utf-8")
    import_file(kind="wordpress", path=path, options=Options())
    private = db.session.scalar(select(Post).where(Post.title == "Private"))
    assert private is not None and private.status is PostStatus.DRAFT
    body = db.session.scalar(select(Post.body_html).where(Post.title == "Article")) or ""
    assert "<h2>Step two</h2>" in body and 'src="https://img.example/a.png"' in body
    assert "script" not in body


def test_import_wordpress_with_pingbacks_keeps_them(app: Flask, blog_file: Path) -> None:
    report = import_file(kind="wordpress", path=blog_file, options=Options(with_pingbacks=True))
    assert report.imported["pingback"] == 1
    assert db.session.scalar(select(Reply).where(Reply.guest_name == "Other blog")) is not None


def test_import_wordpress_orphan_comment_attaches_to_its_post(app: Flask, blog_file: Path) -> None:
    import_file(kind="wordpress", path=blog_file, options=Options())
    orphan = db.session.scalars(
        select(Reply).where(Reply.body_source == "My parent was deleted")
    ).one()
    assert orphan.parent_id is None and orphan.depth == 0 and orphan.post.slug == "unicode"


def test_import_wordpress_author_gets_passwordless_account_and_own_comments(
    app: Flask, blog_file: Path
) -> None:
    import_file(kind="wordpress", path=blog_file, options=Options())
    owner = db.session.scalars(select(User).where(User.email == "owner@blog.example")).one()
    assert owner.password_hash is None and owner.display_name == "The Owner"
    thanks = db.session.scalars(select(Reply).where(Reply.body_source == "Thanks!")).one()
    assert thanks.author_id == owner.id and thanks.guest_email is None


def test_import_wordpress_twice_creates_nothing_the_second_time(
    app: Flask, blog_file: Path
) -> None:
    import_file(kind="wordpress", path=blog_file, options=Options())
    before = (_count(Post), _count(Reply), _count(User), _count(Category))
    again = import_file(kind="wordpress", path=blog_file, options=Options())
    assert (_count(Post), _count(Reply), _count(User), _count(Category)) == before
    assert not again.imported
    assert lines(again.as_dict())[0].startswith("Nothing new: all 19 records were imported before")


def test_import_wordpress_truncated_file_leaves_database_unchanged(
    app: Flask, blog_file: Path, tmp_path: Path
) -> None:
    text = blog_file.read_text(encoding="utf-8")
    truncated = tmp_path / "truncated.xml"
    truncated.write_text(text[: int(len(text) * 0.8)], encoding="utf-8")
    with pytest.raises(ImportFileError) as refused:
        import_file(kind="wordpress", path=truncated, options=Options())
    assert "line " in refused.value.message and "Nothing was imported" in refused.value.message
    assert (_count(Post), _count(Reply), _count(User)) == (0, 0, 0)


def test_import_wordpress_reads_every_wxr_version_and_https_namespace(
    app: Flask, tmp_path: Path
) -> None:
    for number, (version, scheme) in enumerate(
        [("1.0", "http"), ("1.1", "http"), ("1.2", "https")]
    ):
        path = tmp_path / f"v{version}.xml"
        items = [
            Item(
                id=number + 1,
                title=f"V{version}",
                slug=f"v{number}",
                comments=[Comment(id=number + 50)],
            )
        ]
        path.write_text(wxr(items, version=version, scheme=scheme), encoding="utf-8")
        report = import_file(kind="wordpress", path=path, options=Options())
        assert report.imported["comment"] == 1, version


def test_import_wordpress_refuses_a_disqus_file(app: Flask, tmp_path: Path) -> None:
    path = tmp_path / "other.xml"
    path.write_text('<?xml version="1.0"?><disqus xmlns="http://disqus.com"></disqus>')
    with pytest.raises(ImportFileError, match="not a WordPress export"):
        import_file(kind="wordpress", path=path, options=Options())


def test_imported_approved_guest_email_counts_as_previously_approved_once_confirmed(
    app: Flask, blog_file: Path
) -> None:
    from forum.models import VerifiedEmail
    from forum.security.actor import Actor
    from forum.services.moderation.draft import Draft
    from forum.services.moderation.rules import decide
    from forum.services.site_settings import ModerationSettings

    import_file(kind="wordpress", path=blog_file, options=Options())
    post = db.session.scalars(select(Post)).first()
    assert post is not None

    def draft(email: str) -> Draft:
        actor = Actor(guest_token="new-browser", ip_address="198.51.100.9")
        return Draft(
            actor=actor,
            post=post,
            parent=None,
            body_source="Hello again, thank you",
            guest_name="Fan",
            guest_email=email,
            guest_url=None,
        )

    settings = ModerationSettings(spam_threshold=1.01, spam_hold_threshold=1.01)
    assert decide(draft("fan@example.org"), settings).status is ReplyStatus.PENDING  # typed only
    db.session.add(VerifiedEmail(email="fan@example.org"))
    db.session.commit()
    assert decide(draft("fan@example.org"), settings).status is ReplyStatus.APPROVED
    assert decide(draft("nobody@example.org"), settings).status is ReplyStatus.PENDING


def test_imported_author_gets_in_with_a_provider_vouching_for_the_email(
    app: Flask, blog_file: Path
) -> None:
    from forum.security.oidc import ExternalProfile
    from forum.services.accounts import sign_in_with_identity

    import_file(kind="wordpress", path=blog_file, options=Options())
    owner = db.session.scalars(select(User).where(User.email == "owner@blog.example")).one()
    profile = ExternalProfile(
        provider="github",
        subject="42",
        email="owner@blog.example",
        email_verified=True,
        name="Owner",
        picture_url=None,
    )
    signed_in = sign_in_with_identity(profile)
    assert signed_in.user is not None and signed_in.user.id == owner.id
    assert owner.email_verified
    unverified = ExternalProfile(
        provider="google",
        subject="7",
        email="owner@blog.example",
        email_verified=False,
        name="Impostor",
        picture_url=None,
    )
    assert sign_in_with_identity(unverified).user.id != owner.id  # type: ignore[union-attr]
