"""Atom feeds: valid for feedparser, public text only, conditional GET, linked from the pages."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import feedparser
import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.models import PostStatus
from forum.models import ReplyStatus
from forum.models import Role
from forum.services.moderation import actions
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

FEEDS = [
    "/feeds/posts.atom",
    "/feeds/replies.atom",
    "/feeds/c/walking.atom",
    "/feeds/t/slowly.atom",
]


@pytest.fixture
def site(app: Flask) -> dict[str, Any]:
    walking = make_category(slug="walking", name="Walking")
    writer = make_user(display_name="Maren", email="maren@example.org")
    post = make_post(
        title="Coming off slowly",
        slug="slowly",
        category=walking,
        author=writer,
        body_source="Part one: **slowly** & <carefully>.",
    )
    make_post(title="A draft", status=PostStatus.DRAFT)
    make_post(title="Scheduled", published_at=datetime.now(UTC) + timedelta(days=2))
    shown = make_reply(
        post,
        guest_name="Ada",
        guest_email="ada@example.org",
        body_source="Good *luck* <script>alert(1)</script>",
    )
    held = make_reply(post, guest_name="Bob", body_source="held words", status=ReplyStatus.PENDING)
    make_reply(post, body_source="spam words", status=ReplyStatus.SPAM)
    return {"post": post, "shown": shown, "held": held}


def _parse(client: FlaskClient, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response.mimetype == "application/atom+xml"
    return feedparser.parse(response.get_data())


@pytest.mark.parametrize("url", FEEDS)
def test_feed_parses_without_error(client: FlaskClient, site: dict[str, Any], url: str) -> None:
    feed = _parse(client, url)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.entries
    for entry in feed.entries:
        assert entry.link.startswith("http://localhost/t/slowly")
        assert entry.updated_parsed and entry.author and "@" not in entry.author


def test_posts_feed_has_live_posts_only_with_their_html(
    client: FlaskClient, site: dict[str, Any]
) -> None:
    feed = _parse(client, "/feeds/posts.atom")
    assert [entry.title for entry in feed.entries] == ["Coming off slowly"]
    entry = feed.entries[0]
    assert entry.author == "Maren" and "<strong>slowly</strong>" in entry.content[0].value
    assert entry.tags[0].term == "Walking"


def test_reply_feeds_carry_sanitised_html_and_never_held_or_spam_replies(
    client: FlaskClient, site: dict[str, Any]
) -> None:
    for url in ("/feeds/replies.atom", "/feeds/t/slowly.atom"):
        feed = _parse(client, url)
        assert len(feed.entries) == 1
        entry = feed.entries[0]
        assert entry.author == "Ada" and "<em>luck</em>" in entry.content[0].value
        assert "script" not in entry.content[0].value
        assert entry.link.endswith(f"/t/slowly/c/{site['shown'].id}")
        raw = client.get(url).get_data(as_text=True)
        assert "held words" not in raw and "spam words" not in raw and "ada@example.org" not in raw


def test_reply_feed_gains_a_reply_once_approved(client: FlaskClient, site: dict[str, Any]) -> None:
    before = client.get("/feeds/t/slowly.atom")
    moderator = make_user(role=Role.MODERATOR)
    actions.moderate(moderator=moderator, reply_ids=[site["held"].id], action="approve")
    after = client.get("/feeds/t/slowly.atom", headers={"If-None-Match": before.headers["ETag"]})
    assert after.status_code == 200 and "held words" in after.get_data(as_text=True)


@pytest.mark.parametrize("url", FEEDS)
def test_feed_repeated_conditional_get_is_304(
    client: FlaskClient, site: dict[str, Any], url: str
) -> None:
    first = client.get(url)
    assert first.headers["Cache-Control"] == "public, max-age=60"
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


@pytest.mark.parametrize("url", ["/feeds/t/nope.atom", "/feeds/c/nope.atom"])
def test_feed_of_something_missing_is_404(
    client: FlaskClient, site: dict[str, Any], url: str
) -> None:
    assert client.get(url).status_code == 404


def test_feed_of_a_draft_thread_is_404(client: FlaskClient, app: Flask) -> None:
    make_post(slug="hidden", status=PostStatus.DRAFT)
    assert client.get("/feeds/t/hidden.atom").status_code == 404


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/", "/feeds/posts.atom"),
        ("/", "/feeds/replies.atom"),
        ("/c/walking", "/feeds/c/walking.atom"),
        ("/t/slowly", "/feeds/t/slowly.atom"),
    ],
)
def test_pages_link_their_feeds_in_head_and_visibly(
    client: FlaskClient, site: dict[str, Any], page: str, feed: str
) -> None:
    html = client.get(page).get_data(as_text=True)
    assert 'type="application/atom+xml"' in html
    assert html.count(f'href="{feed}"') == 2  # <link rel="alternate"> and a visible link
