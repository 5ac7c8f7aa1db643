"""No email address appears on any page, feed, API answer or widget meant for the public."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import login_on
from tests.conftest import make_app
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

SITE = "https://blog.example.org"
PAGE = f"{SITE}/2026/leaks/"
DOMAIN = "leaky-mail.example"
ADDRESS = re.compile(r"[\w.+-]+@leaky-mail\.example", re.IGNORECASE)


@pytest.fixture
def site() -> Iterator[Flask]:
    app = make_app(EMBED_ORIGINS=SITE)
    app.test_client_class = RequestScopedClient
    with database_for(app):
        set_rules(
            hold_first_time=False, flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01
        )
        yield app


def _seed() -> tuple[list[User], list[str]]:
    """Staff, members and guests, each with a distinctive address, in every kind of place."""
    admin = make_user(display_name="Site Admin", role=Role.ADMIN, email=f"admin.secret@{DOMAIN}")
    mod = make_user(display_name="Mo Derator", role=Role.MODERATOR, email=f"mod.secret@{DOMAIN}")
    member = make_user(display_name="Mem Ber", email=f"member.secret@{DOMAIN}", bio="Hello there")
    category = make_category(slug="talk", name="Talk")
    post = make_post(slug="leaky", category=category, author=admin, original_url=PAGE)
    top = make_reply(post, author=member, body_source="findable words from a member")
    guest = make_reply(
        post,
        parent=top,
        guest_name="Guest Writer",
        guest_email=f"guest.secret@{DOMAIN}",
        guest_url="https://guest.example.net/",
        body_source="findable words from a guest",
    )
    make_reply(post, author=mod, body_source="findable words from a moderator")
    make_reply(
        post, guest_name="Held", guest_email=f"held.secret@{DOMAIN}", status=ReplyStatus.PENDING
    )
    slugs = [
        f"/t/{post.slug}",
        f"/t/{post.slug}/c/{guest.id}",
        f"/api/v1/posts/{post.slug}/replies",
        f"/api/v1/posts/{post.slug}/replies/{guest.id}",
        f"/feeds/t/{post.slug}.atom",
    ]
    return [admin, mod, member], slugs


def _public_urls(users: list[User], per_post: list[str]) -> list[str]:
    return [
        "/",
        "/c/talk",
        *per_post,
        *(f"/u/{user.id}" for user in users),
        "/search?q=findable",
        "/feeds/posts.atom",
        "/feeds/replies.atom",
        "/feeds/c/talk.atom",
        "/api/v1/categories",
        "/api/v1/posts",
        "/api/v1/openapi.json",
        f"/embed/thread?url={PAGE}&title=Leaks",
        f"/embed/counts?url={PAGE}",
    ]


def _assert_no_address(client: FlaskClient, urls: list[str]) -> None:
    for url in urls:
        response = client.get(url, headers={"Origin": SITE})
        assert response.status_code == 200, url
        text = response.get_data(as_text=True)
        assert not ADDRESS.search(text), f"{url} shows {ADDRESS.search(text)}"
        assert ".secret" not in text, url  # nor the address's local part on its own


def test_no_public_page_feed_api_or_widget_shows_an_email(site: Flask) -> None:
    users, per_post = _seed()
    _assert_no_address(site.test_client(), _public_urls(users, per_post))


def test_a_signed_in_member_sees_no_one_elses_email(site: Flask) -> None:
    users, per_post = _seed()
    reader = make_user(display_name="Reader", email="reader@example.org")
    client = site.test_client()
    login_on(client, reader)
    _assert_no_address(client, _public_urls(users, per_post))


def test_a_remembered_guest_address_never_reaches_another_visitor(site: Flask) -> None:
    users, per_post = _seed()
    writer = site.test_client()
    form = {
        "name": "Remy",
        "email": f"remy.secret@{DOMAIN}",
        "body": "Remember me",
        "remember": "y",
    }
    assert writer.post("/t/leaky/replies", data=form).status_code in (302, 303)
    assert f"remy.secret@{DOMAIN}" in writer.get("/t/leaky").get_data(as_text=True)  # their own
    _assert_no_address(site.test_client(), _public_urls(users, per_post))
