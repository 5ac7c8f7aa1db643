"""The replying and liking services, called directly as the web layer calls them."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

import pytest
from sqlalchemy import select

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.security.actor import Actor
from forum.services.liking import set_like
from forum.services.replying import GuestDetails
from forum.services.replying import post_reply
from tests.factories import make_post
from tests.factories import make_user

GUEST = GuestDetails(name="Ada", email="ada@example.org", url=None)
BROWSER = Actor(guest_token="browser-1", ip_address="192.0.2.1", user_agent="pytest")

pytestmark = pytest.mark.usefixtures("open_rules")


def test_post_reply_builds_path_depth_and_root_down_a_chain(app: object) -> None:
    post = make_post()
    parent = None
    for level in range(4):
        parent = post_reply(
            actor=BROWSER,
            post=post,
            parent_id=parent.id if parent else None,
            body=f"deeper {level}",
            guest=GUEST,
        )
    chain = db.session.scalars(select(Reply).order_by(Reply.path)).all()
    assert [reply.depth for reply in chain] == [0, 1, 2, 3]
    assert {reply.root_id for reply in chain} == {chain[0].id}
    assert chain[-1].path == "/".join(f"{reply.id:010d}" for reply in chain)


def test_post_reply_keeps_moderation_facts_and_clean_source(app: object) -> None:
    post = make_post()
    reply = post_reply(
        actor=BROWSER, post=post, parent_id=None, body="line one\r\nline two\x00", guest=GUEST
    )
    assert reply.body_source == "line one\nline two"
    assert reply.body_html == "<p>line one<br>\nline two</p>"
    assert (reply.ip_address, reply.user_agent, reply.guest_token) == (
        "192.0.2.1",
        "pytest",
        "browser-1",
    )


def test_account_reply_stores_no_guest_details(app: object) -> None:
    member = make_user()
    reply = post_reply(
        actor=Actor(user=member), post=make_post(), parent_id=None, body="hi", guest=GUEST
    )
    assert reply.author_id == member.id
    assert (reply.guest_name, reply.guest_email, reply.guest_token) == (None, None, None)


def test_guest_without_details_is_refused(app: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        post_reply(actor=BROWSER, post=make_post(), parent_id=None, body="hi", guest=None)
    assert "name" in refused.value.errors
    assert db.session.scalars(select(Reply)).all() == []


def test_banned_account_is_refused_with_the_reason(app: object) -> None:
    banned = make_user(banned_at=datetime.now(UTC), ban_reason="abuse")
    with pytest.raises(Forbidden, match="banned.*Reason: abuse"):
        post_reply(
            actor=Actor(user=banned), post=make_post(), parent_id=None, body="hi", guest=None
        )
    assert db.session.scalars(select(Reply)).all() == []


def test_set_like_is_idempotent_and_recounts(app: object) -> None:
    reply = post_reply(actor=BROWSER, post=make_post(), parent_id=None, body="hi", guest=GUEST)
    member = make_user()
    assert set_like(actor=Actor(user=member), reply_id=reply.id, liked=True).count == 1
    assert set_like(actor=Actor(user=member), reply_id=reply.id, liked=True).count == 1
    other_browser = Actor(guest_token="browser-2", ip_address="192.0.2.2")
    assert set_like(actor=other_browser, reply_id=reply.id, liked=True).count == 2
    assert set_like(actor=Actor(user=member), reply_id=reply.id, liked=False).count == 1
    assert set_like(actor=Actor(user=member), reply_id=reply.id, liked=False).count == 1


def test_set_like_refuses_banned_accounts_cookieless_guests_authors_and_held_replies(
    app: object,
) -> None:
    reply = post_reply(actor=BROWSER, post=make_post(), parent_id=None, body="hi", guest=GUEST)
    with pytest.raises(Forbidden, match="banned"):
        set_like(
            actor=Actor(user=make_user(banned_at=datetime.now(UTC))), reply_id=reply.id, liked=True
        )
    with pytest.raises(Forbidden, match="cookies"):
        set_like(actor=Actor(), reply_id=reply.id, liked=True)
    with pytest.raises(Forbidden, match="your own reply"):
        set_like(actor=BROWSER, reply_id=reply.id, liked=True)  # its author's browser
    reply.status = ReplyStatus.PENDING
    db.session.commit()
    with pytest.raises(NotFound):
        set_like(actor=BROWSER, reply_id=reply.id, liked=True)
