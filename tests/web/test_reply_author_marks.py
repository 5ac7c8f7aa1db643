"""What a reply shows about its author: a staff badge, and no like button on one's own reply."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import Reply
from forum.models import Role
from tests.conftest import reading_afresh
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

JSON = {"Accept": "application/json"}
GUEST = {"name": "Ada", "email": "ada@example.org"}


def _card(html: str, reply_id: int) -> str:
    """The reply's own card, without the replies nested under it."""
    start = html.index(f'id="c{reply_id}"')
    return html[start : html.index("</article>", start)]


def test_moderator_and_admin_replies_carry_a_staff_badge_without_extra_queries(
    client: FlaskClient, count_queries: Any
) -> None:
    plain = make_post()
    for _ in range(3):
        make_reply(plain, author=make_user())
    post = make_post()
    by_mod = make_reply(post, author=make_user(display_name="Mo", role=Role.MODERATOR))
    by_admin = make_reply(post, author=make_user(display_name="Ad", role=Role.ADMIN))
    by_member = make_reply(post, author=make_user(display_name="Me"))
    by_guest = make_reply(post)
    # Both pages pay their full cost: the first read of the settings after the commits above
    # is not remembered, and would otherwise count against the first page alone.
    reading_afresh(client)
    with count_queries() as without_staff:
        client.get(f"/t/{plain.slug}")
    with count_queries() as with_staff:
        html = client.get(f"/t/{post.slug}").text
    assert '<span class="reply__badge">Moderator</span>' in _card(html, by_mod.id)
    assert '<span class="reply__badge">Admin</span>' in _card(html, by_admin.id)
    assert "reply__badge" not in _card(html, by_member.id) + _card(html, by_guest.id)
    assert len(with_staff) == len(without_staff)
    permalink = client.get(f"/t/{post.slug}/c/{by_mod.id}").text
    assert '<span class="reply__badge">Moderator</span>' in permalink


def test_member_cannot_like_own_reply_and_is_told_why(client: FlaskClient, login: Any) -> None:
    post = make_post()
    member = login(make_user())
    own = make_reply(post, author=member)
    other = make_reply(post)
    html = client.get(f"/t/{post.slug}").text
    assert "data-like>" not in _card(html, own.id) and "data-like>" in _card(html, other.id)
    refused = client.post(f"/replies/{own.id}/like", data={"liked": "1"})
    assert refused.status_code == 403 and "You can&#39;t like your own reply." in refused.text
    as_json = client.post(f"/replies/{own.id}/like", data={"liked": "1"}, headers=JSON)
    assert as_json.status_code == 403
    assert as_json.get_json() == {"error": "You can't like your own reply."}
    assert client.post(f"/replies/{other.id}/like", data={"liked": "1"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Reply, own.id).like_count == 0  # type: ignore[union-attr]


@pytest.mark.usefixtures("open_rules")
def test_guest_cannot_like_own_reply_from_the_same_browser(app: Flask, client: FlaskClient) -> None:
    post = make_post()
    client.post(f"/t/{post.slug}/replies", data={"body": "Mine", **GUEST})
    own = db.session.query(Reply).one()
    html = client.get(f"/t/{post.slug}").text
    assert "data-like>" not in _card(html, own.id)
    refused = client.post(f"/replies/{own.id}/like", data={"liked": "1"}, headers=JSON)
    assert refused.status_code == 403
    other_browser = app.test_client()
    assert "data-like>" in _card(other_browser.get(f"/t/{post.slug}").text, own.id)
    liked = other_browser.post(f"/replies/{own.id}/like", data={"liked": "1"}, headers=JSON)
    assert liked.get_json()["count"] == 1


@pytest.mark.usefixtures("open_rules")
def test_reply_posted_by_script_comes_without_a_like_button(client: FlaskClient) -> None:
    post = make_post()
    created = client.post(
        f"/t/{post.slug}/replies", data={"body": "Mine", **GUEST}, headers=JSON
    ).get_json()
    assert "data-like>" not in created["html"]
