"""Signed-in thread pages share each page's cached reply list; every viewer's page is still the
one the full path renders for them (likes, own replies, moderators' links, held replies)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import Like
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.services import liking
from forum.web import filters
from forum.web.actor import GUEST_TOKEN_KEY
from forum.web.actor import REMEMBERED_GUEST_KEY
from tests.conftest import login_on
from tests.conftest import reading_afresh
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.web.test_query_count import _grow_thread

_TOKEN = re.compile(r'(name="csrf_token"[^>]*value="|name="csrf-token" content=")[^"]*')
GUEST = "guest-browser-token"


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    if response.is_json:
        return _TOKEN.sub(r"\1", response.json["html"]) + str(response.json["next_url"])
    return _TOKEN.sub(r"\1", response.get_data(as_text=True))


def _fast_and_full(app: Flask, client: FlaskClient, url: str) -> tuple[str, str, str]:
    """The page from a cache miss, from a hit, and with the list, form and shell caches off."""
    app.extensions["porch_reply_list_cache"]._entries.clear()
    app.extensions["porch_reply_form_cache"]._entries.clear()
    app.extensions["porch_page_shell_cache"]._entries.clear()
    missed, hit = _page(client, url), _page(client, url)
    app.config.update(REPLY_LIST_CACHE=False, REPLY_FORM_CACHE=False, PAGE_SHELL_CACHE=False)
    try:
        full = _page(client, url)
    finally:
        app.config.update(REPLY_LIST_CACHE=True, REPLY_FORM_CACHE=True, PAGE_SHELL_CACHE=True)
    return missed, hit, full


@pytest.fixture
def thread(app: Flask) -> dict[str, Any]:
    """Ann's fresh reply (still editable), Bob's old one (window over) with a chain below it
    deeper than the page nests, a guest browser's reply, a removed reply kept as a placeholder,
    and likes by Bob and by the guest."""
    app.config["REPLIES_PER_PAGE"] = 3
    ann, bob = make_user(display_name="Ann"), make_user(display_name="Bob <b>")
    post = make_post()
    old = make_reply(post, author=bob, body_source="Bob, long ago")
    parent = old
    for depth in range(6):
        author = ann if depth % 2 else None
        parent = make_reply(post, parent, author=author, body_source=f"Depth {depth + 1}")
    guest = make_reply(post, guest_name="Gil", guest_token=GUEST, body_source="From a browser")
    removed = make_reply(post, body_source="Gone", status=ReplyStatus.TRASH)
    make_reply(post, removed, body_source="Answer to a removed reply")
    for n in range(4):
        make_reply(post, body_source=f"Filler {n}")
    fresh = make_reply(post, author=ann, body_source="Ann, just now", created_at=utcnow())
    db.session.add_all(
        [Like(reply_id=fresh.id, user_id=bob.id), Like(reply_id=old.id, guest_token=GUEST)]
    )
    fresh.like_count, old.like_count = 1, 1
    db.session.commit()
    ids = {"fresh": fresh.id, "old": old.id, "guest": guest.id}
    return {"ann": ann, "bob": bob, "post": post, **ids}


def _as_guest(client: FlaskClient) -> None:
    with client.session_transaction() as session:
        session[GUEST_TOKEN_KEY] = GUEST
        session[REMEMBERED_GUEST_KEY] = {"name": "Gil", "email": "gil@example.org", "url": ""}


@pytest.mark.parametrize("viewer", ["ann", "bob", "moderator", "guest"])
@pytest.mark.parametrize(
    "query", ["", "?sort=newest", "?sort=liked", "?page=2", "?page=3&sort=newest"]
)
def test_cached_list_page_is_the_full_path_page_for_each_viewer(
    app: Flask, client: FlaskClient, thread: dict[str, Any], viewer: str, query: str
) -> None:
    if viewer == "guest":
        _as_guest(client)
    else:
        user = make_user(role=Role.MODERATOR) if viewer == "moderator" else thread[viewer]
        login_on(client, user)
    missed, hit, full = _fast_and_full(app, client, f"/t/{thread['post'].slug}{query}")
    assert len(app.extensions["porch_reply_list_cache"]._entries) == 1  # kept, and used
    assert missed == full
    assert hit == full
    assert 'class="reply depth-' in full


def test_cached_list_shows_each_viewer_their_own_controls(
    app: Flask, client: FlaskClient, thread: dict[str, Any]
) -> None:
    url = f"/t/{thread['post'].slug}?sort=newest"
    login_on(client, thread["bob"])
    as_bob = _page(client, url)
    login_on(client, thread["ann"])
    as_ann = _page(client, url)  # a hit on Bob's entry
    fresh = f'data-edit="{thread["fresh"]}"'
    assert fresh in as_ann and fresh not in as_bob  # Ann's, in her window
    assert f'action="/replies/{thread["fresh"]}/like"' in as_bob
    assert f'action="/replies/{thread["fresh"]}/like"' not in as_ann
    assert ">Unlike<" in as_bob and ">Unlike<" not in as_ann
    login_on(client, make_user(role=Role.MODERATOR))
    as_moderator = _page(client, url)
    assert as_moderator.count('class="reply__edit"') == as_moderator.count('class="reply depth-')


def test_json_fragment_of_the_cached_list_is_the_full_paths(
    app: Flask, client: FlaskClient, thread: dict[str, Any]
) -> None:
    login_on(client, thread["ann"])
    url = f"/t/{thread['post'].slug}?page=2&fragment=1"
    missed, hit, full = _fast_and_full(app, client, url)
    assert missed == hit == full and "reply depth-" in full


def test_changes_by_others_show_on_the_next_page(
    app: Flask, client: FlaskClient, thread: dict[str, Any]
) -> None:
    post, bob = thread["post"], thread["bob"]
    carl = make_user(display_name="Carl")
    held = make_reply(post, author=carl, body_source="Carl waits", status=ReplyStatus.PENDING)
    login_on(client, thread["ann"])
    url = f"/t/{post.slug}?sort=newest"
    assert "Carl waits" not in _page(client, url)
    db.session.get(Reply, held.id).status = ReplyStatus.APPROVED  # approved
    db.session.commit()
    assert "Carl waits" in _page(client, url)
    old = db.session.get(Reply, thread["old"])
    old.body_html = "<p>Bob, edited</p>"
    db.session.commit()
    assert "Bob, edited" in _page(client, f"/t/{post.slug}")
    liking.set_like(actor=Actor(user=make_user()), reply_id=held.id, liked=True)  # by another
    assert "Liked by 1 person" in _card(_page(client, url), held.id)
    bob.display_name = "Robert"
    db.session.commit()
    page = _page(client, f"/t/{post.slug}")
    assert "Robert" in page and "Bob &lt;b&gt;" not in page
    missed, hit, full = _fast_and_full(app, client, url)
    assert missed == hit == full


def _card(html: str, reply_id: int) -> str:
    start = html.index(f'id="c{reply_id}"')
    return html[start : html.index("</article>", start)]


def test_held_reply_shows_to_its_author_only(
    app: Flask, client: FlaskClient, thread: dict[str, Any]
) -> None:
    post, bob = thread["post"], thread["bob"]
    login_on(client, thread["ann"])
    _page(client, f"/t/{post.slug}")  # Ann fills the cache first
    make_reply(post, author=bob, body_source="Bob waits", status=ReplyStatus.PENDING)
    url = f"/t/{post.slug}?sort=newest"
    as_ann = _page(client, url)  # the list for all but Bob, cached
    login_on(client, bob)
    on_a_hit = _page(client, url)
    missed, hit, full = _fast_and_full(app, client, url)
    assert "Bob waits" in full and "awaiting moderation" in full
    assert on_a_hit == missed == hit == full
    login_on(client, thread["ann"])
    assert _page(client, url) == as_ann and "Bob waits" not in as_ann
    _as_guest(client)
    make_reply(post, guest_token=GUEST, body_source="Gil waits", status=ReplyStatus.SPAM)
    assert "Gil waits" in _page(client, url)


def test_signed_in_page_costs_the_same_statements_for_10_and_1000_replies(
    app: Flask, client: FlaskClient, count_queries: Any
) -> None:
    app.config["REPLIES_PER_PAGE"] = 1000
    small, large = make_post(), make_post()
    _grow_thread(small, 10)
    _grow_thread(large, 1000)
    login_on(client, make_user())
    reading_afresh(client)
    counts = []
    for post in (small, large):
        for _ in ("miss", "hit"):
            with count_queries() as statements:
                assert client.get(f"/t/{post.slug}").status_code == 200
            counts.append(len(statements))
    assert counts[0] == counts[2] and counts[1] == counts[3]
    assert counts[1] < counts[0]  # a hit loads no replies


def test_age_shown_holds_until_its_promised_moment(monkeypatch: pytest.MonkeyPatch) -> None:
    now = utcnow()
    for seconds in [0, 30, 59, 60, 89, 91, 3000, 3100, 7000, 86_000, 90_000, 600_000]:
        for scale in (1, 7, 31, 400):
            moment = now - timedelta(seconds=seconds * scale)
            until = filters.age_shown_until(moment, now)
            assert until > now
            shown = filters.age_shown(moment)
            for fraction in (0.25, 0.5, 0.9, 0.999):
                later = now + (until - now) * fraction
                monkeypatch.setattr(filters, "utcnow", lambda later=later: later)
                assert filters.age_shown(moment) == shown
            monkeypatch.undo()


def test_cached_reply_form_carries_this_requests_csrf_token(csrf_client: FlaskClient) -> None:
    post = make_post()
    login_on(csrf_client, make_user())
    csrf_client.get(f"/t/{post.slug}")  # fills the form cache
    page = csrf_client.get(f"/t/{post.slug}").get_data(as_text=True)
    form = page[page.index('id="reply-form"') :]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', form)
    assert token is not None and "porch-csrf" not in page
    data = {"csrf_token": token.group(1), "body": "With the cached form's token"}
    assert csrf_client.post(f"/t/{post.slug}/replies", data=data).status_code == 303  # stored


def test_thread_without_replies_from_the_cached_list(app: Flask, client: FlaskClient) -> None:
    post = make_post()
    login_on(client, make_user())
    missed, hit, full = _fast_and_full(app, client, f"/t/{post.slug}")
    assert missed == hit == full and "No replies yet" in full
