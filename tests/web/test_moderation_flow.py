"""Moderation as guests and admins meet it: confirming a guest email, rules, roles, backtests."""

from __future__ import annotations

import re
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
from forum.mail import plain_text
from forum.mail import read_outbox
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.services import site_settings
from forum.services.moderation.backtest import backtest
from forum.services.site_settings import ModerationSettings
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

GUEST = {"name": "Gia", "email": "gia@example.org"}
CALM = "Thank you for this, the part about the journal helped me a lot this week."


def _statuses() -> list[ReplyStatus]:
    db.session.expire_all()
    return [r.status for r in db.session.scalars(select(Reply).order_by(Reply.id))]


def test_first_guest_reply_is_held_then_a_confirmed_email_skips_the_hold(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    app.config["MAIL_DIR"] = str(tmp_path)
    post = make_post()
    client.post(f"/t/{post.slug}/replies", data={**GUEST, "body": CALM})
    assert _statuses() == [ReplyStatus.PENDING]
    mail = read_outbox(tmp_path)[-1]
    assert mail["To"] == "gia@example.org" and "Confirm your email" in mail["Subject"]
    link = re.search(r"http://localhost(/\S+)", plain_text(mail)).group(1)  # type: ignore[union-attr]
    assert "Confirm my address" in client.get(link).get_data(as_text=True)
    client.post(link)
    reply = db.session.scalars(select(Reply)).one()
    reply.status = ReplyStatus.APPROVED  # a moderator approves the first reply
    db.session.commit()
    site_settings.store_moderation_settings(ModerationSettings(flood_seconds=0))
    db.session.commit()
    client.post(f"/t/{post.slug}/replies", data={**GUEST, "body": "And a second thought, now."})
    assert _statuses() == [ReplyStatus.APPROVED, ReplyStatus.APPROVED]


def test_typed_email_of_an_approved_guest_does_not_skip_the_hold(client: FlaskClient) -> None:
    post = make_post()
    make_reply(post, guest_email="gia@example.org")  # approved, but the address was never confirmed
    client.post(f"/t/{post.slug}/replies", data={**GUEST, "body": CALM})
    assert _statuses()[-1] is ReplyStatus.PENDING


def test_posting_too_fast_gets_429_with_the_text_kept(client: FlaskClient) -> None:
    post = make_post()
    client.post(f"/t/{post.slug}/replies", data={**GUEST, "body": CALM})
    again = client.post(f"/t/{post.slug}/replies", data={**GUEST, "body": "Second, too soon"})
    assert again.status_code == 429
    html = again.get_data(as_text=True)
    assert "posting too quickly" in html and "Second, too soon</textarea>" in html


@pytest.fixture
def admin(client: FlaskClient, login: Any) -> User:
    return login(make_user(display_name="Ada Admin", role=Role.ADMIN))


def _rules_form(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "link_limit": "2",
        "close_after_days": "0",
        "flood_seconds": "15",
        "flag_threshold": "3",
        "spam_honest_percent": "0.5",
        "spam_hold_percent": "5",
        "spam_min_decisions": "50",
        "hold_first_time": "y",
        "notify_moderators": "y",
        "hold_keywords": "",
        "spam_keywords": "",
        "spam_emails": "",
        "spam_ips": "",
    }
    return {**data, **changes}


def test_rules_preview_backtests_without_saving_then_save_logs_the_change(
    client: FlaskClient, admin: User
) -> None:
    post = make_post()
    now = datetime.now(UTC)
    for n in range(3):
        make_reply(
            post,
            body_source=f"visit my casino {n}",
            created_at=now - timedelta(days=1),
            spam_score=0.1,
        )
    make_reply(post, body_source="kind words", created_at=now - timedelta(days=1), spam_score=0.1)
    form = _rules_form(hold_keywords="casino", submit="preview")
    del form["hold_first_time"]  # so only the keyword decides
    preview = client.post("/mod/settings/rules", data=form)
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "These rules on the last 30 days" in html
    assert re.search(r"hold <strong>3</strong>; you approved 3 of them", html)
    assert site_settings.moderation_settings().hold_keywords == []  # nothing saved
    saved = client.post(
        "/mod/settings/rules", data=_rules_form(hold_keywords="casino\nloan", submit="save")
    )
    assert saved.status_code == 303
    assert site_settings.moderation_settings().hold_keywords == ["casino", "loan"]
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.UPDATE_RULES)
    ).one()
    assert entry.before["hold_keywords"] == [] and entry.after["hold_keywords"] == [
        "casino",
        "loan",
    ]


def test_rules_with_bad_values_are_refused_beside_the_field(
    client: FlaskClient, admin: User
) -> None:
    response = client.post(
        "/mod/settings/rules", data=_rules_form(spam_ips="not-an-ip", submit="save")
    )
    assert (
        response.status_code == 400
        and "Not an address or range: not-an-ip." in response.get_data(as_text=True)
    )
    wrong_order = client.post(
        "/mod/settings/rules",
        data=_rules_form(spam_honest_percent="10", spam_hold_percent="2", submit="save"),
    )
    assert wrong_order.status_code == 400
    assert site_settings.moderation_settings() == ModerationSettings()


def test_undo_a_rules_change_from_the_log(client: FlaskClient, admin: User) -> None:
    client.post("/mod/settings/rules", data=_rules_form(link_limit="5", submit="save"))
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == AuditAction.UPDATE_RULES)
    ).one()
    client.post(f"/mod/audit/{entry.id}/undo")
    db.session.expire_all()
    assert site_settings.moderation_settings().link_limit == 2


def test_admin_promotes_a_member_and_cannot_demote_themself(
    client: FlaskClient, admin: User
) -> None:
    member = make_user(display_name="Newmod")
    assert (
        client.post(f"/mod/settings/roles/{member.id}", data={"role": "moderator"}).status_code
        == 303
    )
    db.session.expire_all()
    assert db.session.get(User, member.id).role is Role.MODERATOR  # type: ignore[union-attr]
    refused = client.post(f"/mod/settings/roles/{admin.id}", data={"role": "member"})
    assert refused.status_code == 403
    assert client.post(f"/mod/settings/roles/{member.id}", data={"role": "king"}).status_code == 400


def test_site_name_set_in_the_dashboard_shows_everywhere(client: FlaskClient, admin: User) -> None:
    client.post("/mod/settings/site", data={"site_name": "The Long Porch"})
    assert "The Long Porch" in client.application.test_client().get("/").get_data(as_text=True)
    assert client.post("/mod/settings/site", data={"site_name": ""}).status_code == 400


def test_backtest_counts_against_what_moderators_decided(app: Flask) -> None:
    post = make_post()
    now = datetime.now(UTC)
    spammy = [
        make_reply(post, body_source=f"cheap loan {n}", status=ReplyStatus.SPAM, created_at=now)
        for n in range(2)
    ]
    make_reply(post, body_source="a kind loan of a book", created_at=now)
    make_reply(post, body_source="old loan talk", created_at=now - timedelta(days=40))
    result = backtest(ModerationSettings(hold_first_time=False, spam_keywords=["loan"]), days=30)
    assert result.total == 3 and result.would("spam") == 3
    assert (
        result.would_then("spam", "spam") == len(spammy)
        and result.would_then("spam", "approved") == 1
    )
    assert result.reasons["blocklist"] == 3


def test_moderators_are_emailed_about_held_replies_or_get_a_daily_digest(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    app.config["MAIL_DIR"] = str(tmp_path)
    make_user(role=Role.MODERATOR, email="mod@example.org", email_verified_at=datetime.now(UTC))
    make_user(role=Role.MODERATOR, email="unconfirmed@example.org")
    post = make_post(title="Part four")
    client.post(f"/t/{post.slug}/replies", data={**GUEST, "body": CALM})
    to_moderators = [m for m in read_outbox(tmp_path) if m["To"] == "mod@example.org"]
    assert len(to_moderators) == 1 and "Part four" in to_moderators[0]["Subject"]
    assert "/mod/replies/" in plain_text(to_moderators[0])
    assert not [m for m in read_outbox(tmp_path) if m["To"] == "unconfirmed@example.org"]

    site_settings.store_moderation_settings(ModerationSettings(daily_digest=True, flood_seconds=0))
    db.session.commit()
    client.post(f"/t/{post.slug}/replies", data={**GUEST, "body": "Another held one."})
    assert len([m for m in read_outbox(tmp_path) if m["To"] == "mod@example.org"]) == 1
    result = app.test_cli_runner().invoke(args=["porch", "digest"])
    assert "Digest sent to 1 moderator(s)." in result.output
    digest = [m for m in read_outbox(tmp_path) if m["To"] == "mod@example.org"][-1]
    assert digest["Subject"] == "2 replies wait for moderation"


def test_confirmation_mails_to_one_address_are_limited_to_one_a_day(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    app.config["MAIL_DIR"] = str(tmp_path)
    site_settings.store_moderation_settings(ModerationSettings(flood_seconds=0))
    db.session.commit()
    post = make_post()
    for n in range(3):
        other_browser = app.test_client()
        other_browser.post(
            f"/t/{post.slug}/replies", data={**GUEST, "name": "<b>Mallory</b>", "body": f"Note {n}"}
        )
    to_victim = [m for m in read_outbox(tmp_path) if m["To"] == "gia@example.org"]
    assert len(to_victim) == 1
    assert "Mallory" not in plain_text(to_victim[0])  # the sender's chosen name is not mailed


def test_moderator_reply_that_approves_a_held_parent_tells_its_author(
    app: Flask, client: FlaskClient, login: Any, tmp_path: Path
) -> None:
    app.config["MAIL_DIR"] = str(tmp_path)
    login(make_user(role=Role.MODERATOR))
    held = make_reply(
        make_post(), status=ReplyStatus.PENDING, guest_email="asker@example.org", notify_author=True
    )
    client.post(f"/mod/replies/{held.id}/reply", data={"body": "Welcome, and thank you."})
    assert [m["To"] for m in read_outbox(tmp_path)] == ["asker@example.org"]
