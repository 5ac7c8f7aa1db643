"""Members' pages are joined from cached per-reply fragments, with their own state on top."""

from __future__ import annotations

import re
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
from forum.web.caching import fragments
from tests.conftest import login_on
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


@pytest.fixture
def thread(app: Flask) -> dict[str, Any]:
    """Ann's and Bob's replies (Bob answers Ann and likes hers, and waits for approval of
    another), a guest's, and an answer to a removed reply."""
    ann, bob = make_user(display_name="Ann"), make_user(display_name="Bob")
    post = make_post()
    first = make_reply(post, author=ann, body_source="Ann's *tip*", created_at=utcnow())
    second = make_reply(post, first, author=bob, body_source="Bob agrees", created_at=utcnow())
    make_reply(post, guest_name="Gil <b>", body_source="A guest speaks")
    held = make_reply(post, author=bob, body_source="Bob waits", status=ReplyStatus.PENDING)
    removed = make_reply(post, body_source="Removed", status=ReplyStatus.TRASH)
    make_reply(post, removed, body_source="Answer to a removed reply")
    db.session.add(Like(reply_id=first.id, user_id=bob.id))
    first.like_count = 1
    db.session.commit()
    ids = {"first": first.id, "second": second.id, "held": held.id, "removed": removed.id}
    return {"ann": ann, "bob": bob, "post": post, **ids}


def _card(html: str, reply_id: int) -> str:
    start = html.index(f'id="c{reply_id}"')
    return html[start : html.index("</article>", start)]


def _page_as(client: FlaskClient, user: Any, slug: str) -> str:
    login_on(client, user)
    return client.get(f"/t/{slug}").get_data(as_text=True)


def test_each_member_sees_their_own_likes_and_edit_links_on_shared_fragments(
    client: FlaskClient, thread: dict[str, Any]
) -> None:
    slug = thread["post"].slug
    as_ann = _page_as(client, thread["ann"], slug)  # fills the fragment cache
    as_bob = _page_as(client, thread["bob"], slug)
    ann_first, ann_second = _card(as_ann, thread["first"]), _card(as_ann, thread["second"])
    bob_first, bob_second = _card(as_bob, thread["first"]), _card(as_bob, thread["second"])
    assert "Edit<span" in ann_first and "like-button" not in ann_first  # her own
    assert f'data-edit="{thread["first"]}"' in ann_first  # the stand-in's id was replaced
    assert "reply by Ann</span>" in ann_first
    assert "Edit<span" not in ann_second and 'aria-pressed="false"' in ann_second
    assert "Edit<span" not in bob_first and 'aria-pressed="true"' in bob_first  # he liked it
    assert ">Unlike<" in bob_first
    assert "Edit<span" in bob_second and "like-button" not in bob_second
    assert 'Like<span class="visually-hidden"> reply by Gil &lt;b&gt;</span>' in as_bob
    assert f'action="/replies/{thread["second"]}/like"' in ann_second


def test_moderator_sees_edit_links_on_every_reply(
    client: FlaskClient, thread: dict[str, Any]
) -> None:
    slug = thread["post"].slug
    _page_as(client, thread["ann"], slug)
    page = _page_as(client, make_user(role=Role.MODERATOR), slug)
    assert page.count('class="reply__edit"') == 4


def test_member_page_is_the_same_with_and_without_fragments(
    app: Flask, client: FlaskClient, thread: dict[str, Any]
) -> None:
    slug = thread["post"].slug
    app.config["FRAGMENT_CACHE"] = False
    plain = _squeezed(_page_as(client, thread["bob"], slug))
    assert "Bob waits" in plain and "This reply was removed." in plain
    app.config["FRAGMENT_CACHE"] = True
    assert _squeezed(_page_as(client, thread["bob"], slug)) == plain  # fragments stored
    assert _squeezed(_page_as(client, thread["bob"], slug)) == plain  # fragments reused


def _squeezed(html: str) -> str:
    """Runs of whitespace as one space: an empty slot leaves less of it than the template.
    CSRF tokens go too: they carry the second they were signed in, which may differ."""
    html = re.sub(r'(name="csrf_token"[^>]*value="|name="csrf-token" content=")[^"]*', r"\1", html)
    return re.sub(r"\s+", " ", html)


def test_second_member_page_renders_no_reply_card_again(
    client: FlaskClient, thread: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[int] = []
    original = fragments.get_template_attribute

    def counting(template: str, name: str) -> Any:
        macro = original(template, name)
        if name != "reply_card":
            return macro
        return lambda *args, **kwargs: rendered.append(args[0].reply.id) or macro(*args, **kwargs)

    monkeypatch.setattr(fragments, "get_template_attribute", counting)
    slug = thread["post"].slug
    _page_as(client, thread["ann"], slug)
    assert len(rendered) == 5  # four cards and the removed reply's placeholder
    _page_as(client, thread["bob"], slug)
    # Fresh: his held reply, the placeholder, and Ann's reply, numbered one later for him
    # (his held reply comes before it); every other card is joined from its fragment.
    assert rendered[5:] == [thread["held"], thread["removed"], thread["first"]]


def test_changed_reply_gets_a_new_fragment(client: FlaskClient, thread: dict[str, Any]) -> None:
    slug = thread["post"].slug
    _page_as(client, thread["ann"], slug)
    reply = db.session.get(Reply, thread["second"])
    assert reply is not None
    reply.body_html = "<p>Bob changed his mind</p>"
    reply.like_count = 7
    db.session.commit()
    page = _page_as(client, thread["ann"], slug)
    card = _card(page, thread["second"])
    assert "Bob changed his mind" in card and "Liked by 7 people" in card
    assert "Bob agrees" not in page
