"""Search behaves the same on SQLite (FTS5) and PostgreSQL (tsvector): run with either database."""

from __future__ import annotations

from datetime import UTC
from datetime import date
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import insert
from sqlalchemy import text

from forum.extensions import db
from forum.models import PostStatus
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.security.actor import Actor
from forum.services import posts
from forum.services import search
from forum.services.authoring import delete_own_reply
from forum.services.moderation import actions
from forum.services.search import Scope
from forum.services.search import SearchFilters
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

HOSTILE = [
    '"',
    "*",
    "NEAR(",
    "NEAR(a b",
    "-",
    "--",
    "- -taper",
    '"unclosed phrase',
    "a AND OR NOT b",
    "taper*)",
    "(((",
    "title:taper",
    "^taper",
    "x" * 5000,
    "taper " * 300,
    "héllo wörld 日本語 ☃",
    "'; DROP TABLE reply; --",
    "\x00\x01 taper",
    "&&!!|:*",
    "<script>alert(1)</script>",
]


def _found(query: str, **kwargs: Any) -> list[int | None]:
    """Reply ids (None for a post) in rank order."""
    return [hit.reply_id for hit in search.search(query, **kwargs).hits]


@pytest.fixture
def corpus(app: Flask) -> dict[str, Any]:
    post = make_post(title="Tapering plans", body_source="How to taper well.")
    other = make_post(title="Garden notes", body_source="Tomatoes and beans.")
    short = make_reply(post, body_source="A taper, finally.")
    long = make_reply(
        post, body_source="Some weeks I walk, some weeks I rest; " * 8 + "and then I taper."
    )
    wobbly = make_reply(post, body_source="Those wobbly weeks at the start were the hardest.")
    beans = make_reply(other, body_source="Runner beans need tall canes.")
    return {
        "post": post,
        "other": other,
        "short": short,
        "long": long,
        "wobbly": wobbly,
        "beans": beans,
    }


def test_search_small_corpus_ranks_title_then_short_then_long(corpus: dict[str, Any]) -> None:
    assert _found("taper") == [None, corpus["short"].id, corpus["long"].id]


def test_search_phrase_matches_words_together_only(corpus: dict[str, Any]) -> None:
    assert _found('"wobbly weeks"') == [corpus["wobbly"].id]
    assert _found('"weeks wobbly"') == []


def test_search_prefix_finds_longer_words(corpus: dict[str, Any]) -> None:
    assert set(_found("tap*")) == {None, corpus["short"].id, corpus["long"].id}
    assert _found("tomat*") == [None]


def test_search_stemming_finds_other_forms_both_ways(corpus: dict[str, Any]) -> None:
    assert set(_found("tapering")) == {None, corpus["short"].id, corpus["long"].id}
    make_reply(corpus["other"], body_source="We are tapering slowly.")
    assert len(_found("tapers")) == 4


def test_search_words_must_all_match_and_minus_excludes(corpus: dict[str, Any]) -> None:
    assert _found("taper finally") == [corpus["short"].id]
    assert set(_found("taper -finally")) == {None, corpus["long"].id}


def test_search_snippet_marks_the_matching_words(corpus: dict[str, Any]) -> None:
    hit = search.search('"wobbly weeks"').hits[0]
    marked = hit.snippet.replace("\x01", "[").replace("\x02", "]")
    assert "[wobbly" in marked and "weeks]" in marked and "hardest" in marked


def test_search_reply_moved_to_spam_disappears_at_once(corpus: dict[str, Any]) -> None:
    moderator = make_user(role=Role.MODERATOR)
    actions.moderate(moderator=moderator, reply_ids=[corpus["short"].id], action="spam")
    assert corpus["short"].id not in _found("taper")
    actions.moderate(moderator=moderator, reply_ids=[corpus["short"].id], action="not_spam")
    assert corpus["short"].id in _found("taper")


@pytest.mark.parametrize(
    "change",
    [
        {"status": ReplyStatus.PENDING},
        {"status": ReplyStatus.TRASH},
        {"status": ReplyStatus.SPAM},
        {"deleted_at": datetime(2026, 2, 1, tzinfo=UTC)},
    ],
)
def test_search_never_returns_hidden_replies(app: Flask, change: dict[str, Any]) -> None:
    post = make_post()
    make_reply(post, body_source="a secret wombat", **change)
    assert _found("wombat") == []
    assert len(_found("wombat", scope=Scope.MODERATION)) == 1  # moderators see every status


def test_search_never_returns_drafts_scheduled_posts_or_their_replies(app: Flask) -> None:
    draft = make_post(title="Draft wombat", status=PostStatus.DRAFT)
    later = make_post(title="Later wombat", published_at=datetime.now(UTC) + timedelta(days=3))
    make_reply(draft, body_source="wombat on a draft")
    make_reply(later, body_source="wombat on a scheduled post")
    assert _found("wombat") == []


def test_search_after_an_edit_finds_new_text_not_old(corpus: dict[str, Any]) -> None:
    moderator = make_user(role=Role.MODERATOR)
    actions.edit_reply(moderator=moderator, reply_id=corpus["beans"].id, body="Sweet peas now.")
    assert _found("canes") == []
    assert _found("peas") == [corpus["beans"].id]


def test_search_indexing_a_reply_again_replaces_its_one_document(app: Flask) -> None:
    post = make_post()
    reply = make_reply(post, body_source="a first wombat")  # indexed once already
    reply.body_html = "<p>a second numbat</p>"
    search.index_reply(reply)  # one upsert statement: no duplicate key, no stale text
    search.index_replies([reply.id])
    db.session.commit()
    assert _found("wombat") == [] and _found("numbat") == [reply.id]
    key = "rowid" if db.engine.dialect.name == "sqlite" else "doc_id"
    count = f"SELECT count(*) FROM search_document WHERE {key} = :id"  # noqa: S608
    assert db.session.scalar(text(count), {"id": reply.id}) == 1


def test_search_after_the_author_deletes_a_reply_finds_nothing(app: Flask) -> None:
    author = make_user()
    post = make_post()
    reply = make_reply(
        post, author=author, body_source="regret this wombat", created_at=datetime.now(UTC)
    )
    delete_own_reply(actor=Actor(user=author), reply_id=reply.id)
    assert _found("wombat") == [] and _found("wombat", scope=Scope.MODERATION) == []


def test_search_posts_from_the_desk_are_indexed_on_create_and_edit(app: Flask) -> None:
    writer = make_user(role=Role.ADMIN)
    data = posts.PostInput(title="Quokka season", body="All about quokkas.")
    post = posts.create_post(author=writer, data=data, intent=posts.Intent.PUBLISH)
    assert _found("quokka") == [None]
    data = posts.PostInput(title="Numbat season", body="All about numbats.", slug=post.slug)
    posts.update_post(author=writer, post_id=post.id, data=data, intent=posts.Intent.PUBLISH)
    assert _found("quokka") == [] and _found("numbat") == [None]


def test_search_filters_by_category_author_dates_and_thread(app: Flask) -> None:
    walking = make_category(slug="walking")
    member = make_user(display_name="Ada Byron")
    first = make_post(category=walking)
    second = make_post()
    day = datetime(2026, 3, 14, 12, tzinfo=UTC)
    by_ada = make_reply(first, author=member, body_source="wombat one", created_at=day)
    guest = make_reply(
        second, guest_name="Brigid", body_source="wombat two", created_at=day + timedelta(days=2)
    )
    assert _found("wombat", filters=SearchFilters(category="walking")) == [by_ada.id]
    assert _found("wombat", filters=SearchFilters(author="ada byron")) == [by_ada.id]
    assert _found("wombat", filters=SearchFilters(author="BRIGID")) == [guest.id]
    assert _found("wombat", filters=SearchFilters(since=date(2026, 3, 15))) == [guest.id]
    assert _found("wombat", filters=SearchFilters(until=date(2026, 3, 14))) == [by_ada.id]
    assert _found("wombat", filters=SearchFilters(thread=second.slug)) == [guest.id]


def test_search_pages_through_results_with_the_total(app: Flask) -> None:
    post = make_post()
    for n in range(7):
        make_reply(post, body_source=f"wombat number {n}")
    first = search.search("wombat", per_page=3)
    last = search.search("wombat", page=3, per_page=3)
    assert first.total == 7 and first.has_next and len(first.hits) == 3
    assert len(last.hits) == 1 and not last.has_next
    seen = {h.reply_id for p in (1, 2, 3) for h in search.search("wombat", page=p, per_page=3).hits}
    assert len(seen) == 7


@pytest.mark.parametrize("query", HOSTILE)
def test_search_hostile_query_answers_without_error(corpus: dict[str, Any], query: str) -> None:
    result = search.search(query)
    assert result.total >= 0
    filters = SearchFilters(author=query[:80], thread=query[:80])
    search.search(query, scope=Scope.MODERATION, filters=filters)


def test_search_costs_two_statements_for_few_or_many_hits(app: Flask, count_queries: Any) -> None:
    post = make_post()
    for n in range(3):
        make_reply(post, body_source=f"wombat {n}")
    with count_queries() as few:
        search.search("wombat")
    for n in range(40):
        make_reply(post, body_source=f"wombat again {n}", commit=False)
    db.session.commit()
    with count_queries() as many:
        assert len(search.search("wombat").hits) == 20
    assert len(few) == len(many) == 2


def test_index_replies_adds_rows_written_by_an_importer(app: Flask) -> None:
    post = make_post()
    db.session.execute(
        insert(Reply),
        [
            {
                "post_id": post.id,
                "path": "",
                "body_source": "x",
                "body_html": "<p>imported wombat</p>",
                "status": ReplyStatus.APPROVED,
            }
        ],
    )
    db.session.commit()
    assert _found("wombat") == []
    imported = db.session.scalars(db.select(Reply.id)).all()
    search.index_replies(imported)
    db.session.commit()
    assert _found("wombat") == list(imported)


def test_reindex_command_rebuilds_an_emptied_index(corpus: dict[str, Any], app: Flask) -> None:
    db.session.execute(text("DELETE FROM search_document"))
    db.session.commit()
    assert _found("taper") == []
    result = app.test_cli_runner().invoke(args=["porch", "search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "2 posts and 4 replies" in result.output
    assert len(_found("taper")) == 3


def test_import_json_into_a_new_site_makes_its_text_searchable(
    corpus: dict[str, Any], app: Flask, tmp_path: Any
) -> None:
    from tests.conftest import make_app

    path = tmp_path / "site.json"
    assert app.test_cli_runner().invoke(args=["porch", "export", "json", str(path)]).exit_code == 0
    other = make_app(DATABASE_URL="sqlite://")
    with other.app_context():
        db.create_all()
        restored = other.test_cli_runner().invoke(args=["porch", "import", "json", str(path)])
        assert restored.exit_code == 0, restored.output
        assert _found('"wobbly weeks"') == [corpus["wobbly"].id]
        db.session.remove()


def test_wordpress_import_makes_its_posts_and_comments_searchable(
    app: Flask, tmp_path: Path
) -> None:
    from forum.services.importing import Options
    from forum.services.importing import import_file
    from tests.export_files import Comment
    from tests.export_files import Item
    from tests.export_files import wxr

    items = [
        Item(
            id=1,
            title="Imported tapering diary",
            slug="diary",
            content="<p>Ninth week of the marmalade plan.</p>",
            comments=[Comment(id=10, content="Quince jelly helped me sleep.")],
        )
    ]
    path = tmp_path / "blog.xml"
    path.write_text(wxr(items), encoding="utf-8")
    import_file(kind="wordpress", path=path, options=Options())
    assert _found("marmalade") == [None]  # the post
    (reply_id,) = _found("quince")
    assert reply_id is not None
