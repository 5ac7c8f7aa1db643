"""The desk in a browser without JavaScript: write, preview, publish, close comments."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import Role
from forum.models import User
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules


@pytest.fixture
def author(client: FlaskClient, login: Any) -> User:
    return login(make_user(role=Role.MEMBER, can_author=True))


def _form(**changes: str) -> dict[str, str]:
    data = {"title": "A walk in the hills", "body": "## Day one\n\nWe walked.", "action": "publish"}
    data["comments_open"] = "y"
    return {**data, **changes}


def _sign_out(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session.clear()


def _count_posts() -> int:
    return db.session.scalar(select(func.count(Post.id))) or 0


def test_publish_from_the_editor_shows_the_post_to_readers(
    client: FlaskClient, author: User
) -> None:
    response = client.post("/desk/posts/new", data=_form())
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Published: “A walk in the hills” is live." in page
    _sign_out(client)
    index = client.get("/").get_data(as_text=True)
    assert "A walk in the hills" in index and "Day one We walked." in index
    thread = client.get("/t/a-walk-in-the-hills").get_data(as_text=True)
    assert "<h2>Day one</h2>" in thread


def test_preview_renders_the_article_without_saving(client: FlaskClient, author: User) -> None:
    response = client.post(
        "/desk/posts/new", data=_form(action="preview", body="# Big\n\n<script>x()</script>ok")
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<h1>Big</h1>" in html and "x()</script>" not in html
    assert "# Big" in html  # the source stays in the textarea
    assert _count_posts() == 0


def test_preview_for_scripts_returns_json(client: FlaskClient, author: User) -> None:
    response = client.post("/desk/preview", data={"body": "| a |\n|---|\n| 1 |"})
    assert response.status_code == 200
    assert "<table>" in response.get_json()["preview_html"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": ""}, "title", "Give the post a title."),
        ({"slug": "Bad Slug"}, "slug", "lower-case letters"),
        ({"series_position": "two"}, "series_position", "whole number"),
        ({"series_name": "Hills"}, "series_position", "part number"),
        ({"action": "schedule"}, "publish_at", "future date"),
        ({"publish_at": "not a date"}, "publish_at", "Not a valid datetime"),
        ({"close_after_days": "-3"}, "close_after_days", "0 (never)"),
        ({"category_id": "999"}, "category_id", "no longer exists"),
        ({"action": "explode"}, None, "Press Save draft, Publish or Schedule."),
    ],
)
def test_bad_input_keeps_the_form_with_field_errors(
    client: FlaskClient, author: User, changes: dict[str, str], field: str | None, message: str
) -> None:
    response = client.post("/desk/posts/new", data=_form(**changes))
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    if field:
        assert f'id="{field}-errors"' in html
    assert "We walked." in html  # the text is kept
    assert _count_posts() == 0


def test_slug_clash_on_edit_keeps_the_stored_post(client: FlaskClient, author: User) -> None:
    make_post(slug="taken")
    mine = make_post(slug="mine", title="Mine")
    response = client.post(f"/desk/posts/{mine.id}", data=_form(slug="taken", title="Changed"))
    assert response.status_code == 400
    assert "Another post already uses the address “taken”" in response.get_data(as_text=True)
    db.session.expire_all()
    assert (mine.slug, mine.title) == ("mine", "Mine")


def test_edit_page_lists_revisions_and_unpublish_hides_the_post(
    client: FlaskClient, author: User
) -> None:
    post = make_post(title="Old title", slug="old")
    reply = make_reply(post)
    client.post(f"/desk/posts/{post.id}", data=_form(title="New title", slug="old"))
    page = client.get(f"/desk/posts/{post.id}").get_data(as_text=True)
    assert "Revision history" in page and "earlier version titled “Old title”" in page
    assert client.post(f"/desk/posts/{post.id}/unpublish").status_code == 303
    assert "Draft" in client.get("/t/old").get_data(as_text=True)  # authors may look
    _sign_out(client)
    assert client.get("/t/old").status_code == 404
    assert client.get(f"/t/old/c/{reply.id}").status_code == 404
    assert db.session.get(Reply, reply.id) is not None


def test_scheduled_post_is_shown_as_scheduled_and_404_for_readers(
    client: FlaskClient, author: User
) -> None:
    when = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    client.post("/desk/posts/new", data=_form(action="schedule", publish_at=when))
    desk = client.get("/desk?tab=scheduled").get_data(as_text=True)
    assert "A walk in the hills" in desk and "Scheduled" in desk
    _sign_out(client)
    assert client.get("/t/a-walk-in-the-hills").status_code == 404
    assert "A walk in the hills" not in client.get("/").get_data(as_text=True)


def test_closed_comments_replace_the_form_and_refuse_replies(
    client: FlaskClient, login: Any
) -> None:
    post = make_post(comments_open=False)
    page = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "Comments are closed." in page and 'action="/t/' not in page
    reply = make_reply(post)
    alone = client.get(f"/t/{post.slug}/reply?parent_id={reply.id}").get_data(as_text=True)
    assert "Comments are closed." in alone and "<textarea" not in alone
    login(make_user(role=Role.ADMIN))
    response = client.post(f"/t/{post.slug}/replies", data={"body": "Let me in"})
    assert response.status_code == 403
    assert "Comments are closed." in response.get_data(as_text=True)


def test_a_post_may_close_sooner_or_later_than_the_site(client: FlaskClient, login: Any) -> None:
    set_rules(close_after_days=30)
    old = datetime.now(UTC) - timedelta(days=40)
    kept_open = make_post(published_at=old, close_after_days=0)
    closed_early = make_post(published_at=datetime.now(UTC) - timedelta(days=3), close_after_days=2)
    assert "Comments are closed" not in client.get(f"/t/{kept_open.slug}").get_data(as_text=True)
    page = client.get(f"/t/{closed_early.slug}").get_data(as_text=True)
    assert "closed after 2 days" in page


def test_category_delete_asks_where_posts_go(client: FlaskClient, author: User) -> None:
    doomed, other = make_category(name="Doomed"), make_category(name="Other")
    post = make_post(category_id=doomed.id)
    page = client.get(f"/desk/categories/{doomed.id}/delete").get_data(as_text=True)
    assert "It has 1 post. Where should it go?" in page and "Other" in page
    bad = client.post(f"/desk/categories/{doomed.id}/delete", data={"move_to": "x"})
    assert bad.status_code == 400
    done = client.post(f"/desk/categories/{doomed.id}/delete", data={"move_to": str(other.id)})
    assert done.status_code == 303
    db.session.expire_all()
    assert post.category_id == other.id


def test_category_form_errors_keep_the_input(client: FlaskClient, author: User) -> None:
    make_category(slug="taken")
    response = client.post("/desk/categories", data={"name": "Mine", "slug": "taken"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "already uses the address" in html
    assert 'value="Mine"' in html


def test_index_query_count_does_not_grow_with_drafts_and_pins(
    client: FlaskClient, count_queries: Any
) -> None:
    for _ in range(3):
        make_post()

    def statements() -> int:
        with count_queries() as seen:
            assert client.get("/").status_code == 200
        return len(seen)

    first = statements()
    for _ in range(5):
        make_post(pinned=True)
        make_post(status="draft")
    assert statements() == first


def test_categories_move_up_with_buttons_disabled_at_the_ends(
    client: FlaskClient, author: User
) -> None:
    first, second = (
        make_category(name="First", position=1),
        make_category(name="Second", position=2),
    )
    page = client.get("/desk/categories").get_data(as_text=True)
    assert page.count("disabled") == 2  # first row's up, last row's down
    response = client.post(f"/desk/categories/{second.id}/move", data={"direction": "up"})
    assert response.status_code == 303
    page = client.get("/desk/categories").get_data(as_text=True)
    assert page.index("Second") < page.index("First") and first.id != second.id
    assert (
        client.post(
            f"/desk/categories/{second.id}/move", data={"direction": "sideways"}
        ).status_code
        == 400
    )


def test_profile_hides_replies_on_unpublished_posts(client: FlaskClient) -> None:
    member = make_user(display_name="Rowan")
    live, draft = make_post(title="Live one"), make_post(title="Secret draft", status="draft")
    make_reply(live, author=member)
    make_reply(draft, author=member)
    page = client.get(f"/u/{member.id}").get_data(as_text=True)
    assert "Live one" in page and "Secret draft" not in page
