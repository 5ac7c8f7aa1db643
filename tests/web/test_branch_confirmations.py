"""Branch actions and "Approve all" say what they did; a locked branch offers no Reply link."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


@pytest.fixture
def moderator(client: FlaskClient, login: Any) -> User:
    return login(make_user(display_name="Mod Mo", role=Role.MODERATOR))


@pytest.mark.parametrize(
    ("action", "message"),
    [
        ("hold", "Held 3 replies in this branch: they wait in Pending."),
        ("trash", "Trashed 3 replies in this branch."),
        ("lock", "Locked 3 replies in this branch: nobody can reply under them."),
        ("collapse", "Collapsed the branch: readers see it folded."),
    ],
)
def test_branch_action_confirms_what_happened_and_how_many(
    client: FlaskClient, moderator: User, action: str, message: str
) -> None:
    post = make_post()
    top = make_reply(post)
    child = make_reply(post, top)
    make_reply(post, child)
    response = client.post(
        f"/mod/replies/{top.id}/branch", data={"action": action}, follow_redirects=True
    )
    assert response.status_code == 200 and message in response.get_data(as_text=True)


def test_branch_action_that_changes_nothing_says_so(client: FlaskClient, moderator: User) -> None:
    top = make_reply(make_post())
    client.post(f"/mod/replies/{top.id}/branch", data={"action": "lock"})
    again = client.post(
        f"/mod/replies/{top.id}/branch", data={"action": "lock"}, follow_redirects=True
    )
    assert "Nothing changed: it was already locked." in again.get_data(as_text=True)


def test_approve_all_in_a_group_confirms_how_many(client: FlaskClient, moderator: User) -> None:
    post = make_post()
    for _ in range(3):
        make_reply(post, status=ReplyStatus.PENDING, held_reason="first_time")
    response = client.post(
        "/mod/group",
        data={"reason": "first_time", "next": "/mod/queue/pending?"},
        follow_redirects=True,
    )
    html = response.get_data(as_text=True)
    assert "Approved all 3 replies held as “first time”." in html


def test_approve_all_in_a_group_emptied_meanwhile_says_nothing_changed(
    client: FlaskClient, moderator: User
) -> None:
    response = client.post("/mod/group", data={"reason": "links"}, follow_redirects=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Nothing changed: no reply is held as “links” any more." in html


def test_thread_page_of_locked_branch_says_locked_instead_of_reply_at_same_query_count(
    client: FlaskClient, moderator: User, count_queries: Any
) -> None:
    post = make_post()
    top = make_reply(post, body_source="Top")
    child = make_reply(post, top, body_source="Child")
    other = make_reply(post, body_source="Open")
    guest, page = client.application.test_client(), f"/t/{post.slug}"
    with count_queries() as before:
        guest.get(page)
    client.post(f"/mod/replies/{top.id}/branch", data={"action": "lock"})
    with count_queries() as after:
        html = guest.get(page).get_data(as_text=True)
    assert len(after) == len(before)
    assert html.count("Locked by a moderator") == 2
    assert f"parent_id={other.id}" in html
    assert f"parent_id={top.id}" not in html and f"parent_id={child.id}" not in html
    refused = guest.post(
        f"{page}/replies",
        data={"body": "Late word", "name": "G", "email": "g@example.org", "parent_id": child.id},
    )
    assert refused.status_code == 403 and "locked this conversation" in refused.get_data(
        as_text=True
    )
    assert "Late word</textarea>" in refused.get_data(as_text=True)


def test_branch_hold_is_told_on_the_item_page_with_who_did_it(
    client: FlaskClient, moderator: User
) -> None:
    top = make_reply(
        make_post(), decision_trace=[{"rule": "links", "detail": "0 links < 2", "verdict": "pass"}]
    )
    client.post(f"/mod/replies/{top.id}/branch", data={"action": "hold"})
    html = client.get(f"/mod/replies/{top.id}").get_data(as_text=True)
    assert "Approved on posting: it passed every rule, then held by Mod Mo on " in html
