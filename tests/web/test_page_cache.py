"""Anonymous readers get cached pages: no cookie, ETag and 304, and never a stale page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.services import authoring
from forum.services import categories
from forum.services import liking
from forum.services import posts
from forum.services import profiles
from forum.services import site_settings
from forum.services.moderation import actions
from forum.services.moderation import bans
from forum.services.moderation import branches
from forum.services.moderation import flags
from forum.services.moderation import undo
from forum.services.replying import post_reply
from tests.conftest import database_for
from tests.conftest import login_on
from tests.conftest import make_app
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules


def test_anonymous_thread_page_sets_no_cookie_and_may_be_kept_by_proxies(
    client: FlaskClient,
) -> None:
    post = make_post()
    make_reply(post, body_source="Hello there")
    response = client.get(f"/t/{post.slug}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert response.headers["ETag"].startswith('"')
    cache_control = response.headers["Cache-Control"]
    assert "public" in cache_control and "s-maxage=" in cache_control
    assert "stale-while-revalidate=" in cache_control
    assert "Cookie" in response.headers["Vary"]
    html = response.get_data(as_text=True)
    assert 'name="csrf_token" value=""' in html  # no visitor's token baked into shared HTML
    assert '<meta name="csrf-token" content="" ' in html


def test_second_anonymous_request_is_served_from_the_cache(
    client: FlaskClient, count_queries: Any
) -> None:
    post = make_post()
    for _ in range(5):
        make_reply(post)
    with count_queries() as rendered:
        first = client.get(f"/t/{post.slug}")
    with count_queries() as cached:
        second = client.get(f"/t/{post.slug}")
    assert second.get_data() == first.get_data()
    assert (first.headers["X-Porch-Cache"], second.headers["X-Porch-Cache"]) == ("miss", "hit")
    # At most the post's version, to find its cached copy (the front layer may remember it).
    assert len(cached) <= 1
    assert len(rendered) > len(cached)


@pytest.mark.parametrize("path", ["/", "/c/news", "/t/{slug}", "/t/{slug}/c/{reply}"])
def test_conditional_get_with_the_etag_answers_304(client: FlaskClient, path: str) -> None:
    make_category(slug="news")
    post = make_post()
    reply = make_reply(post)
    url = path.format(slug=post.slug, reply=reply.id)
    etag = client.get(url).headers["ETag"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_signed_in_reader_gets_a_fresh_private_page(client: FlaskClient) -> None:
    post = make_post()
    client.get(f"/t/{post.slug}")  # an anonymous copy is in the cache now
    member = login_on(client, make_user(display_name="Ada Member"))
    response = client.get(f"/t/{post.slug}")
    assert member.display_name in response.get_data(as_text=True)
    assert "private" in response.headers["Cache-Control"]
    assert "ETag" not in response.headers


def test_guest_sees_own_held_reply_while_others_get_the_cached_page(
    app: Flask, client: FlaskClient
) -> None:
    post = make_post()
    client.get(f"/t/{post.slug}")
    guest = app.test_client()
    guest.post(
        f"/t/{post.slug}/replies",
        data={"body": "Held for now", "name": "Gus", "email": "gus@example.org"},
    )
    own = guest.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "Held for now" in own and "awaiting moderation" in own
    assert "Held for now" not in client.get(f"/t/{post.slug}").get_data(as_text=True)


def test_flash_message_after_a_post_is_shown_not_cached(app: Flask, client: FlaskClient) -> None:
    post = make_post()
    client.get(f"/t/{post.slug}")
    with client.session_transaction() as session:
        session["_flashes"] = [("message", "Thanks for the report.")]
    response = client.get(f"/t/{post.slug}")
    assert "Thanks for the report." in response.get_data(as_text=True)
    assert "Thanks for the report." not in app.test_client().get(f"/t/{post.slug}").text


# ---- Every change that alters a page gives a new page --------------------------------------


class Scene:
    """A thread with a member's approved reply, a held one, and a moderator."""

    def __init__(self) -> None:
        set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01, flag_threshold=1)
        self.category = make_category(name="Gardening")
        self.post = make_post(category_id=self.category.id)
        self.author = make_user(display_name="Rosa Writer")
        self.moderator = make_user(role=Role.ADMIN)
        self.reply = make_reply(
            self.post, author=self.author, body_source="Tomatoes first", created_at=utcnow()
        )
        self.answer = make_reply(self.post, self.reply, body_source="Then basil")
        self.held = make_reply(self.post, body_source="Waiting text", status=ReplyStatus.PENDING)

    def actor(self, user: User | None) -> Actor:
        return Actor(user=user, guest_token=None if user else "a-guest", ip_address="192.0.2.1")


def _approve(s: Scene) -> None:
    actions.moderate(moderator=s.moderator, reply_ids=[s.held.id], action="approve")


def _reply(s: Scene) -> None:
    post_reply(actor=s.actor(s.author), post=s.post, parent_id=None, body="A new one", guest=None)


def _edit_by_author(s: Scene) -> None:
    authoring.edit_own_reply(actor=s.actor(s.author), reply_id=s.reply.id, body="Peppers first")


def _delete_by_author(s: Scene) -> None:
    authoring.delete_own_reply(actor=s.actor(s.author), reply_id=s.reply.id)


def _like(s: Scene) -> None:
    liking.set_like(actor=s.actor(None), reply_id=s.reply.id, liked=True)


def _trash(s: Scene) -> None:
    actions.moderate(moderator=s.moderator, reply_ids=[s.answer.id], action="trash")


def _moderator_edit(s: Scene) -> None:
    actions.edit_reply(moderator=s.moderator, reply_id=s.answer.id, body="Then thyme")


def _lock_branch(s: Scene) -> None:
    branches.moderate_branch(moderator=s.moderator, reply_id=s.reply.id, action="lock")


def _undo(s: Scene) -> None:
    entry = actions.moderate(moderator=s.moderator, reply_ids=[s.answer.id], action="trash").entry
    assert entry is not None
    s.page_before = s.fetch()  # type: ignore[attr-defined]
    undo.undo(moderator=s.moderator, entry_id=entry.id)


def _reports_hide(s: Scene) -> None:
    flags.flag_reply(actor=s.actor(None), reply_id=s.answer.id, reason=_reason(), note="")


def _reason() -> Any:
    from forum.models import FlagReason

    return next(iter(FlagReason))


def _ban_removing_replies(s: Scene) -> None:
    request = bans.BanRequest(user_id=s.author.id, reason="spam", remove_replies=True)
    bans.ban(moderator=s.moderator, request=request)


def _post_edited(s: Scene) -> None:
    data = posts.PostInput(title="A new title", body="New body", slug=s.post.slug)
    posts.update_post(
        author=s.moderator, post_id=s.post.id, data=data, intent=posts.Intent("publish")
    )


def _site_renamed(s: Scene) -> None:
    site_settings.store_site_settings(site_settings.SiteSettings(site_name="Allotment Talk"))
    db.session.commit()


def _replies_closed(s: Scene) -> None:
    s.post.comments_open = False
    db.session.commit()


def _member_renamed(s: Scene) -> None:
    profiles.update_profile(user=s.author, display_name="Rosa Gardener", bio="", avatar="generated")


def _category_renamed(s: Scene) -> None:
    data = categories.CategoryInput(name="Allotments", slug=s.category.slug)
    categories.update_category(author=s.moderator, category_id=s.category.id, data=data)


CHANGES: list[Callable[[Scene], None]] = [
    _approve,
    _reply,
    _edit_by_author,
    _delete_by_author,
    _like,
    _trash,
    _moderator_edit,
    _lock_branch,
    _undo,
    _reports_hide,
    _ban_removing_replies,
    _post_edited,
    _site_renamed,
    _replies_closed,
    _member_renamed,
    _category_renamed,
]


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__.strip("_"))
@pytest.mark.parametrize("page", ["thread", "permalink", "index", "category"])
def test_cached_page_changes_after_every_service_that_alters_it(
    client: FlaskClient, change: Callable[[Scene], None], page: str
) -> None:
    scene = Scene()
    url = {
        "thread": f"/t/{scene.post.slug}",
        "permalink": f"/t/{scene.post.slug}/c/{scene.answer.id}",
        "index": "/",
        "category": f"/c/{scene.category.slug}",
    }[page]
    scene.fetch = lambda: client.get(url).get_data(as_text=True)  # type: ignore[attr-defined]
    scene.page_before = scene.fetch()  # type: ignore[attr-defined]
    assert scene.fetch() == scene.page_before  # type: ignore[attr-defined]  (cached)
    change(scene)
    after = scene.fetch()  # type: ignore[attr-defined]
    if change in NOT_SHOWN.get(page, set()):
        return  # this page does not show that change; it may rightly stay the same
    assert after != scene.page_before  # type: ignore[attr-defined]


# What index and category pages show: reply counts, titles, names of categories and the site.
_LISTED = {_approve, _reply, _delete_by_author, _trash, _post_edited, _site_renamed}
_LISTED |= {_ban_removing_replies, _category_renamed, _reports_hide}
NOT_SHOWN = {
    "index": set(CHANGES) - _LISTED,
    "category": set(CHANGES) - _LISTED,
    "permalink": {_reply, _category_renamed},  # a new top-level reply is not in this branch
}


def test_remember_me_cookie_gets_a_fresh_page(client: FlaskClient) -> None:
    post = make_post()
    client.get(f"/t/{post.slug}")
    client.set_cookie("remember_token", "something")
    assert "private" in client.get(f"/t/{post.slug}").headers["Cache-Control"]


def test_missing_page_is_not_cached(client: FlaskClient) -> None:
    response = client.get("/t/no-such-post")
    assert response.status_code == 404
    assert "ETag" not in response.headers
    assert "public" not in response.headers.get("Cache-Control", "")


@pytest.mark.parametrize("backend", ["filesystem", "redis"])
def test_shared_backends_serve_a_page_to_another_worker(tmp_path: Any, backend: str) -> None:
    if backend == "redis":
        redis = pytest.importorskip("redis")
        try:
            redis.Redis.from_url("redis://127.0.0.1:6379/15").ping()
        except redis.RedisError:
            pytest.skip("no Redis at 127.0.0.1:6379")
    settings = {
        "PAGE_CACHE": backend,
        "PAGE_CACHE_DIR": str(tmp_path / "pages"),
        "REDIS_URL": "redis://127.0.0.1:6379/15",
        "SECRET_KEY": f"secret-{tmp_path.name}",  # its own namespace in a shared Redis
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
    }
    first, second = make_app(**settings), make_app(**settings)  # two workers, one site
    with database_for(first):
        post = make_post()
        reply = make_reply(post, body_source="Shared soup")
        page = first.test_client().get(f"/t/{post.slug}")
        with second.test_client() as other:
            again = other.get(f"/t/{post.slug}", headers={"If-None-Match": page.headers["ETag"]})
            assert again.status_code == 304
            liking.set_like(actor=Actor(guest_token="g"), reply_id=reply.id, liked=True)
            fresh = other.get(f"/t/{post.slug}")
            assert "Liked by 1 person" in fresh.get_data(as_text=True)


def test_head_request_gets_the_cached_headers_without_a_body(client: FlaskClient) -> None:
    post = make_post()
    etag = client.get(f"/t/{post.slug}").headers["ETag"]
    head = client.head(f"/t/{post.slug}")
    assert head.status_code == 200 and head.headers["ETag"] == etag
    assert head.get_data() == b""
