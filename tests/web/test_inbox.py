"""The notifications page, marking read, and the unread count in the header."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.models import Notification
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.security.actor import Actor
from forum.services.liking import set_like
from forum.services.replying import post_reply
from tests.conftest import login_on
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

pytestmark = pytest.mark.usefixtures("open_rules")


def _answered(ada: User, *, likes: int = 0) -> tuple[int, int]:
    """Bob answers Ada's reply; `likes` members like Ada's reply. Returns both reply ids."""
    bob = make_user(display_name="Bob")
    post = make_post(title="Walking in winter")
    mine = make_reply(post, author=ada, body_source="My first thought")
    answer = post_reply(
        actor=Actor(user=bob), post=post, parent_id=mine.id, body="Nice one @Ada", guest=None
    )
    for _ in range(likes):
        set_like(actor=Actor(user=make_user()), reply_id=mine.id, liked=True)
    return mine.id, answer.id


def _unread(user: User) -> list[int]:
    query = select(Notification.id).where(
        Notification.recipient_id == user.id, Notification.read_at.is_(None)
    )
    return list(db.session.scalars(query))


def test_notifications_page_for_guest_redirects_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/notifications")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_notifications_page_lists_newest_first_with_grouped_likes(
    client: FlaskClient, login: Any
) -> None:
    ada = login(make_user(display_name="Ada"))
    mine, answer = _answered(ada, likes=3)
    html = client.get("/notifications").get_data(as_text=True)
    assert html.index("3 people liked your reply") < html.index("<bdi>Bob</bdi> replied to you")
    assert "<bdi>Bob</bdi> mentioned you" not in html  # answered and mentioned: one notification
    assert f"/c/{answer}" in html and "Walking in winter" in html and "Nice one @Ada" in html
    assert "2 unread." in html and "data-unread-count>2<" in html


def test_mark_one_read_updates_the_count_and_says_so(client: FlaskClient, login: Any) -> None:
    ada = login(make_user(display_name="Ada"))
    _answered(ada, likes=1)
    first = _unread(ada)[0]
    response = client.post(f"/notifications/{first}/read", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Marked as read." in html and "1 unread." in html
    assert _unread(ada) != [] and first not in _unread(ada)


def test_mark_all_read_clears_the_header_count(client: FlaskClient, login: Any) -> None:
    ada = login(make_user(display_name="Ada"))
    _answered(ada, likes=2)
    response = client.post("/notifications/read-all", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Marked 2 notifications as read." in html and "You are all caught up." in html
    assert "data-unread-count" not in html and _unread(ada) == []


def test_mark_read_of_someone_elses_notification_is_forbidden(
    client: FlaskClient, login: Any
) -> None:
    ada = make_user(display_name="Ada")
    _answered(ada)
    login(make_user(display_name="Mallory"))
    note = _unread(ada)[0]
    assert client.post(f"/notifications/{note}/read").status_code == 403
    assert client.post("/notifications/999999/read").status_code == 404
    assert _unread(ada) == [note]


def test_mark_read_without_csrf_token_is_refused(csrf_client: FlaskClient) -> None:
    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01)
    ada = make_user(display_name="Ada")
    _answered(ada)
    login_on(csrf_client, ada)
    note = _unread(ada)[0]
    assert csrf_client.post(f"/notifications/{note}/read").status_code == 400
    assert csrf_client.post("/notifications/read-all").status_code == 400
    page = csrf_client.get("/notifications").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = csrf_client.post(f"/notifications/{note}/read", data={"csrf_token": token})
    assert response.status_code == 302 and _unread(ada) == []


def test_header_shows_unread_count_to_the_member_on_any_page(
    client: FlaskClient, login: Any
) -> None:
    ada = login(make_user(display_name="Ada"))
    _answered(ada)
    html = client.get("/").get_data(as_text=True)
    assert 'data-unread-count>1</span><span class="visually-hidden"> unread' in html


def test_notification_about_a_reply_later_removed_disappears(
    client: FlaskClient, login: Any
) -> None:
    ada = login(make_user(display_name="Ada"))
    _, answer = _answered(ada)
    reply = db.session.get(Reply, answer)
    assert reply is not None
    reply.status = ReplyStatus.SPAM
    db.session.commit()
    html = client.get("/notifications").get_data(as_text=True)
    assert "<bdi>Bob</bdi> replied to you" not in html and "data-unread-count" not in html


def test_guest_pages_have_no_notifications_link(client: FlaskClient) -> None:
    assert "/notifications" not in client.get("/").get_data(as_text=True)


def test_header_count_costs_one_query_for_members_and_none_for_guests(
    client: FlaskClient, login: Any, count_queries: Any
) -> None:
    post = make_post()
    with count_queries() as as_guest:
        client.get(f"/t/{post.slug}")
    assert not any("notification" in statement for statement in as_guest)
    login(make_user())
    with count_queries() as as_member:
        client.get(f"/t/{post.slug}")
    assert sum("notification" in statement for statement in as_member) == 1


def test_notifications_page_query_count_does_not_grow_with_notifications(
    client: FlaskClient, login: Any, count_queries: Any
) -> None:
    ada = login(make_user(display_name="Ada"))
    _answered(ada, likes=1)
    with count_queries() as few:
        client.get("/notifications")
    for _ in range(5):
        _answered(ada, likes=2)
    with count_queries() as many:
        html = client.get("/notifications").get_data(as_text=True)
    assert html.count('class="inbox__item') == 12
    assert len(many) == len(few)
