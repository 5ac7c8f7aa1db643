"""Editing and deleting one's own reply through the pages: links, access, statuses, errors."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.mail import read_outbox
from forum.models import Reply
from forum.models import ReplyRevision
from forum.models import ReplyStatus
from forum.models import Role
from forum.services.site_settings import moderation_settings
from tests.conftest import reading_afresh
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

pytestmark = pytest.mark.usefixtures("open_rules")
TOKEN = "browser-of-ada"
JSON = {"Accept": "application/json"}


def _now() -> datetime:
    return datetime.now(UTC)


def _as_guest(client: FlaskClient, token: str = TOKEN) -> None:
    with client.session_transaction() as session:
        session["guest_token"] = token


def _fresh(reply_id: int) -> Reply:
    """The reply as the requests left it (the test's session may hold an older copy)."""
    db.session.expire_all()
    reply = db.session.get(Reply, reply_id)
    assert reply is not None
    return reply


def _guest_reply(**fields: Any) -> Reply:
    fields.setdefault("created_at", _now())
    fields.setdefault("body_source", "My first words")
    return make_reply(make_post(), guest_token=TOKEN, guest_name="Ada", **fields)


def test_thread_shows_edit_and_delete_only_to_the_author_in_the_window(
    client: FlaskClient,
) -> None:
    reply = _guest_reply()
    slug = reply.post.slug
    stranger = client.get(f"/t/{slug}").get_data(as_text=True)
    assert f"/replies/{reply.id}/edit" not in stranger
    _as_guest(client)
    own = client.get(f"/t/{slug}").get_data(as_text=True)
    assert f"/replies/{reply.id}/edit" in own and f"/replies/{reply.id}/delete" in own
    reply.created_at = _now() - timedelta(minutes=20)
    db.session.commit()
    late = client.get(f"/t/{slug}").get_data(as_text=True)
    assert f"/replies/{reply.id}/edit" not in late


def test_edit_page_shows_text_and_saving_marks_reply_edited(client: FlaskClient) -> None:
    reply = _guest_reply()
    _as_guest(client)
    page = client.get(f"/replies/{reply.id}/edit")
    assert page.status_code == 200
    assert "My first words" in page.get_data(as_text=True)
    response = client.post(f"/replies/{reply.id}/edit", data={"body": "My better words"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"#c{reply.id}")
    thread = client.get(f"/t/{reply.post.slug}").get_data(as_text=True)
    assert "My better words" in thread and 'class="reply__edited" title="Edited ' in thread
    assert "Your edit is saved." in thread


def test_edit_with_empty_or_too_long_text_gets_400_with_text_kept(
    app: Flask, client: FlaskClient
) -> None:
    reply = _guest_reply()
    _as_guest(client)
    empty = client.post(f"/replies/{reply.id}/edit", data={"body": "  "})
    assert empty.status_code == 400
    assert "Please write something" in empty.get_data(as_text=True)
    long_text = "x" * (app.config["BODY_MAX_LENGTH"] + 1)
    too_long = client.post(f"/replies/{reply.id}/edit", data={"body": long_text})
    assert too_long.status_code == 400
    assert "the limit is" in too_long.get_data(as_text=True)
    assert long_text in too_long.get_data(as_text=True)
    assert _fresh(reply.id).body_source == "My first words"


def test_edit_after_window_is_refused_with_403_and_typed_text_kept(client: FlaskClient) -> None:
    reply = _guest_reply(created_at=_now() - timedelta(minutes=16))
    _as_guest(client)
    page = client.get(f"/replies/{reply.id}/edit")
    assert page.status_code == 403
    assert "first 15 minutes" in page.get_data(as_text=True)
    late = client.post(f"/replies/{reply.id}/edit", data={"body": "Typed too slowly"})
    assert late.status_code == 403
    html = late.get_data(as_text=True)
    assert "first 15 minutes" in html and "Typed too slowly" in html
    assert _fresh(reply.id).body_source == "My first words"


def test_edit_by_another_browser_is_403_and_hidden_reply_is_404(client: FlaskClient) -> None:
    reply = _guest_reply()
    _as_guest(client, "someone-else")
    assert client.get(f"/replies/{reply.id}/edit").status_code == 403
    assert client.post(f"/replies/{reply.id}/edit", data={"body": "x"}).status_code == 403
    assert client.post(f"/replies/{reply.id}/delete").status_code == 403
    held = _guest_reply(status=ReplyStatus.PENDING)
    assert client.get(f"/replies/{held.id}/edit").status_code == 404
    assert client.get("/replies/999999/edit").status_code == 404


def test_edit_that_adds_links_is_held_and_shown_awaiting_moderation(client: FlaskClient) -> None:
    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01, link_limit=2)
    reply = _guest_reply()
    _as_guest(client)
    body = "https://a.example https://b.example https://c.example"
    client.post(f"/replies/{reply.id}/edit", data={"body": body})
    assert _fresh(reply.id).status is ReplyStatus.PENDING
    own = client.get(f"/t/{reply.post.slug}").get_data(as_text=True)
    assert "awaiting moderation" in own and "b.example" in own
    _as_guest(client, "someone-else")
    assert "b.example" not in client.get(f"/t/{reply.post.slug}").get_data(as_text=True)


def test_held_edit_tells_moderators_and_item_page_says_who_replaced_the_text(
    app: Flask, client: FlaskClient, login: Any, tmp_path: Path
) -> None:
    app.config["MAIL_DIR"] = str(tmp_path)
    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01, link_limit=2)
    moderator = make_user(role=Role.MODERATOR, email="mod@example.org", email_verified_at=_now())
    reply = _guest_reply()
    _as_guest(client)
    body = "https://a.example https://b.example https://c.example"
    client.post(f"/replies/{reply.id}/edit", data={"body": body})
    assert [mail["To"] for mail in read_outbox(tmp_path)] == ["mod@example.org"]
    login(moderator)
    item = client.get(f"/mod/replies/{reply.id}").get_data(as_text=True)
    assert "replaced by its author" in item and "My first words" in item


def test_edit_in_place_for_scripts_answers_json(client: FlaskClient) -> None:
    reply = _guest_reply()
    _as_guest(client)
    assert client.get(f"/replies/{reply.id}/edit", headers=JSON).get_json() == {
        "body": "My first words"
    }
    bad = client.post(f"/replies/{reply.id}/edit", data={"body": ""}, headers=JSON)
    assert bad.status_code == 400 and "body" in bad.get_json()["errors"]
    good = client.post(f"/replies/{reply.id}/edit", data={"body": "Fixed"}, headers=JSON)
    assert good.status_code == 200
    assert "Fixed" in good.get_json()["html"] and "reply__edited" in good.get_json()["html"]
    _fresh(reply.id).created_at = _now() - timedelta(hours=1)
    db.session.commit()
    late = client.post(f"/replies/{reply.id}/edit", data={"body": "Late"}, headers=JSON)
    assert late.status_code == 403 and "first 15 minutes" in late.get_json()["error"]


def test_moderator_edits_any_reply_any_time_through_the_edit_page(
    client: FlaskClient, login: Any
) -> None:
    reply = make_reply(make_post(), body_source="Old words")
    login(make_user(role=Role.MODERATOR))
    assert f"/replies/{reply.id}/edit" in client.get(f"/t/{reply.post.slug}").get_data(as_text=True)
    assert client.post(f"/replies/{reply.id}/edit", data={"body": "Mended"}).status_code == 303
    assert _fresh(reply.id).body_source == "Mended"
    assert db.session.scalars(select(ReplyRevision.body_source)).all() == ["Old words"]


def test_delete_confirm_then_post_removes_reply_without_answers(client: FlaskClient) -> None:
    reply = _guest_reply()
    reply_id, slug = reply.id, reply.post.slug
    _as_guest(client)
    confirm = client.get(f"/replies/{reply_id}/delete")
    assert confirm.status_code == 200 and "Delete the reply" in confirm.get_data(as_text=True)
    response = client.post(f"/replies/{reply_id}/delete")
    assert response.status_code == 303
    db.session.expunge_all()
    assert db.session.get(Reply, reply_id) is None
    page = client.get(f"/t/{slug}").get_data(as_text=True)
    assert "Your reply is deleted." in page and "My first words" not in page


def test_delete_with_visible_answer_leaves_author_placeholder(client: FlaskClient) -> None:
    reply = _guest_reply()
    make_reply(reply.post, reply, body_source="An answer")
    _as_guest(client)
    client.post(f"/replies/{reply.id}/delete")
    page = client.get(f"/t/{reply.post.slug}").get_data(as_text=True)
    assert "This reply was deleted by its author." in page
    assert "An answer" in page and "My first words" not in page
    assert client.get(f"/replies/{reply.id}/edit").status_code == 404


def test_delete_needs_a_csrf_token(csrf_client: FlaskClient) -> None:
    reply = _guest_reply()
    with csrf_client.session_transaction() as session:
        session["guest_token"] = TOKEN
    assert csrf_client.post(f"/replies/{reply.id}/delete").status_code == 400
    page = csrf_client.get(f"/replies/{reply.id}/delete").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    response = csrf_client.post(f"/replies/{reply.id}/delete", data={"csrf_token": token})
    assert response.status_code == 303


def test_rules_page_saves_the_edit_window(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN))
    form = client.get("/mod/settings/rules").get_data(as_text=True)
    assert 'name="edit_window_minutes"' in form and 'value="15"' in form
    data = {
        "link_limit": 2,
        "close_after_days": 0,
        "flood_seconds": 15,
        "flag_threshold": 3,
        "spam_threshold": 0.9,
        "spam_hold_threshold": 0.6,
        "edit_window_minutes": 45,
        "submit": "save",
    }
    assert client.post("/mod/settings/rules", data=data).status_code == 303
    assert moderation_settings().edit_window_minutes == 45
    bad = client.post("/mod/settings/rules", data={**data, "edit_window_minutes": -1})
    assert bad.status_code == 400
    empty = client.post("/mod/settings/rules", data={**data, "edit_window_minutes": ""})
    assert empty.status_code == 400
    del data["edit_window_minutes"]  # an older form that does not know the setting keeps it
    assert client.post("/mod/settings/rules", data=data).status_code == 303
    db.session.expire_all()
    assert moderation_settings().edit_window_minutes == 45


def test_thread_with_many_own_replies_costs_constant_queries(
    client: FlaskClient, login: Any, count_queries: Any
) -> None:
    user = login(make_user())
    reading_afresh(client)
    small, large = make_post(), make_post()
    for post, total in ((small, 2), (large, 60)):
        for _ in range(total):
            make_reply(post, author=user, created_at=_now(), commit=False)
    db.session.commit()
    counts = []
    for post in (small, large):
        with count_queries() as statements:
            html = client.get(f"/t/{post.slug}").get_data(as_text=True)
        counts.append(len(statements))
        assert html.count('class="reply__edit"') == html.count('class="reply depth-')
    assert counts[0] == counts[1]
