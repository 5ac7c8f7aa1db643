"""Reporting a reply through the web: the form page, the inline JSON answers, and every refusal."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import Flag
from forum.models import FlagReason
from forum.models import ReplyStatus
from forum.services.site_settings import moderation_settings
from forum.services.site_settings import store_moderation_settings
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import login_on
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

JSON = {"Accept": "application/json"}
THANKS = "Thanks — a moderator will look at it."


def _flag_count() -> int:
    return db.session.scalar(select(func.count(Flag.id))) or 0


def _report(
    client: FlaskClient, reply_id: int, headers: dict[str, str] | None = None, **fields: Any
) -> Any:
    data = {"reason": "spam", **fields}
    return client.post(f"/replies/{reply_id}/report", data=data, headers=headers or {})


def test_report_page_quotes_the_reply_and_offers_the_four_reasons(client: FlaskClient) -> None:
    post = make_post()
    reply = make_reply(post, guest_name="Bea", body_source="Buy *cheap* pills")
    html = client.get(f"/replies/{reply.id}/report").get_data(as_text=True)
    assert "Report a reply by Bea" in html and "<em>cheap</em>" in html
    assert "<legend>Why are you reporting this reply?</legend>" in html
    for label in ("Spam", "Abuse or harassment", "Harmful advice", "Something else"):
        assert f">{label}</label>" in html
    assert 'name="note"' in html and 'maxlength="500"' in html


def test_thread_shows_a_report_link_that_works_without_js(client: FlaskClient) -> None:
    post = make_post()
    reply = make_reply(post, guest_name="Bea")
    html = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert f'href="/replies/{reply.id}/report"' in html and f'data-report="{reply.id}"' in html
    assert 'Report<span class="visually-hidden"> reply by Bea</span>' in html


def test_member_report_is_stored_and_lands_back_on_the_reply_with_thanks(
    client: FlaskClient, login: Any
) -> None:
    post = make_post()
    reply = make_reply(post, body_source="Skip the doctor, drink turpentine")
    member = login(make_user())
    response = _report(client, reply.id, reason="harmful", note="Dangerous advice")
    flag = db.session.scalars(select(Flag)).one()
    assert response.status_code == 303
    assert response.headers["Location"] == f"/t/{post.slug}#c{reply.id}"
    assert (flag.reporter_id, flag.reason, flag.note) == (
        member.id,
        FlagReason.HARMFUL,
        "Dangerous advice",
    )
    assert flag.body_snapshot == "Skip the doctor, drink turpentine"
    assert flag.reporter_ip == "127.0.0.1"
    assert THANKS in client.get(response.headers["Location"]).get_data(as_text=True)


def test_second_report_by_the_same_member_changes_nothing(client: FlaskClient, login: Any) -> None:
    reply = make_reply(make_post())
    login(make_user())
    first = _report(client, reply.id, headers=JSON)
    again = client.post(
        f"/replies/{reply.id}/report", data={"reason": "abuse", "note": "x"}, headers=JSON
    )
    assert first.get_json() == {"reported": True, "already_reported": False, "hidden": False}
    assert again.get_json() == {"reported": True, "already_reported": True, "hidden": False}
    assert _flag_count() == 1
    assert db.session.scalars(select(Flag)).one().reason == FlagReason.SPAM


def test_guest_reports_count_once_per_browser(app: Flask, client: FlaskClient) -> None:
    reply = make_reply(make_post())
    _report(client, reply.id)
    _report(client, reply.id)
    _report(app.test_client(), reply.id)
    tokens = db.session.scalars(select(Flag.reporter_token)).all()
    assert len(tokens) == 2 and len(set(tokens)) == 2 and None not in tokens


def test_own_reply_cannot_be_reported(client: FlaskClient, login: Any) -> None:
    post = make_post()
    author = login(make_user())
    reply = make_reply(post, author=author)
    page = client.get(f"/replies/{reply.id}/report")
    posted = _report(client, reply.id)
    as_json = _report(client, reply.id, headers=JSON)
    assert page.status_code == posted.status_code == as_json.status_code == 403
    assert "You cannot report your own reply." in posted.get_data(as_text=True)
    assert as_json.get_json() == {"error": "You cannot report your own reply."}
    assert _flag_count() == 0


@pytest.mark.parametrize("case", ["unknown", "pending", "deleted"])
def test_held_deleted_or_unknown_reply_is_404(client: FlaskClient, case: str) -> None:
    post = make_post()
    replies = {
        "unknown": None,
        "pending": make_reply(post, status=ReplyStatus.PENDING),
        "deleted": make_reply(post, deleted_at=datetime.now(UTC)),
    }
    reply = replies[case]
    reply_id = reply.id if reply else 999_999
    assert client.get(f"/replies/{reply_id}/report").status_code == 404
    assert _report(client, reply_id).status_code == 404
    assert _flag_count() == 0


def test_banned_member_is_told_why(client: FlaskClient, login: Any) -> None:
    reply = make_reply(make_post())
    login(make_user(banned_at=datetime.now(UTC), ban_reason="brigading"))
    response = _report(client, reply.id)
    assert response.status_code == 403
    assert "Reason: brigading" in response.get_data(as_text=True)
    assert _flag_count() == 0


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"reason": "boring"}, "reason", "Please choose why you are reporting"),
        ({"reason": ""}, "reason", "Please choose why you are reporting"),
        ({"note": "n" * 501}, "note", "the limit is 500"),
        ({"note": "bell \x07"}, "note", "characters we cannot store"),
    ],
)
def test_bad_report_gets_400_with_message_beside_field_and_keeps_note(
    client: FlaskClient, fields: dict[str, str], field: str, message: str
) -> None:
    reply = make_reply(make_post())
    response = _report(client, reply.id, **{"note": "Keep this note", **fields})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html and f'id="{field}-errors"' in html
    if "note" not in fields:
        assert "Keep this note</textarea>" in html
    assert _flag_count() == 0


def test_bad_report_as_json_lists_field_errors(client: FlaskClient) -> None:
    reply = make_reply(make_post())
    response = client.post(f"/replies/{reply.id}/report", data={"note": "x"}, headers=JSON)
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"reason"}
    assert _flag_count() == 0


def test_reply_is_hidden_at_the_threshold_and_reporters_stay_anonymous(
    app: Flask, client: FlaskClient, login: Any
) -> None:
    store_moderation_settings(replace(moderation_settings(), flag_threshold=2))
    db.session.commit()
    post = make_post()
    author = login(make_user(display_name="Arlo Author"))
    reply = make_reply(post, author=author, body_source="A contested opinion")
    answers = []
    for name in ("Rosa Reporter", "Ravi Reporter"):
        reporter = app.test_client()
        login_on(reporter, make_user(display_name=name))
        answers.append(_report(reporter, reply.id, reason="abuse", headers=JSON).get_json())
    assert [answer["hidden"] for answer in answers] == [False, True]
    db.session.refresh(reply)
    assert (reply.status, reply.held_reason) == (ReplyStatus.PENDING, "flagged")
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action == AuditAction.HIDE_FLAGGED and entry.target_ids == [reply.id]
    stranger = app.test_client().get(f"/t/{post.slug}").get_data(as_text=True)
    assert "A contested opinion" not in stranger
    own_page = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "A contested opinion" in own_page and "awaiting moderation" in own_page
    assert "Rosa" not in own_page and "Ravi" not in own_page


def test_report_of_reply_on_a_later_page_redirects_to_that_page(
    app: Flask, client: FlaskClient
) -> None:
    app.config["REPLIES_PER_PAGE"] = 1
    post = make_post()
    make_reply(post)
    second = make_reply(post)
    response = _report(client, second.id)
    assert response.headers["Location"] == f"/t/{post.slug}?page=2#c{second.id}"


def test_report_is_post_only_for_changes(client: FlaskClient) -> None:
    reply = make_reply(make_post())
    assert client.put(f"/replies/{reply.id}/report").status_code == 405


def test_missing_or_wrong_csrf_token_is_refused(csrf_client: FlaskClient) -> None:
    reply = make_reply(make_post())
    missing = _report(csrf_client, reply.id)
    wrong = _report(csrf_client, reply.id, csrf_token="forged")
    assert missing.status_code == wrong.status_code == 400
    assert "CSRF" in missing.get_data(as_text=True)
    assert _flag_count() == 0


def test_csrf_token_from_the_report_page_is_accepted(csrf_client: FlaskClient) -> None:
    reply = make_reply(make_post())
    page = csrf_client.get(f"/replies/{reply.id}/report").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
    assert _report(csrf_client, reply.id, csrf_token=token).status_code == 303
    assert _flag_count() == 1


def test_reporting_is_rate_limited_with_a_429() -> None:
    app = make_app(RATELIMIT_ENABLED=True, REPORT_RATE_LIMIT="2 per minute")
    app.test_client_class = RequestScopedClient
    with database_for(app):
        post = make_post()
        replies = [make_reply(post) for _ in range(3)]
        client = app.test_client()
        codes = [_report(client, reply.id).status_code for reply in replies]
        assert codes == [303, 303, 429]
        limited = _report(client, replies[2].id, headers=JSON)
        assert limited.status_code == 429 and "Too many requests" in limited.get_json()["error"]
        assert client.get(f"/replies/{replies[2].id}/report").status_code == 200
        assert _flag_count() == 2


def test_default_report_rate_limit_is_ten_per_hour(app: Flask) -> None:
    assert app.config["REPORT_RATE_LIMIT"] == "10 per hour"
