"""What tells moderators of their work: mail about waiting replies, key hint, Undo bar."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.mail import read_outbox
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.services import site_settings
from forum.services.site_settings import ModerationSettings
from tests.factories import make_post
from tests.factories import make_user

STATIC = Path(__file__).resolve().parents[2] / "static"


def _to_moderator(outbox: Path) -> list[Any]:
    return [mail for mail in read_outbox(outbox) if mail["To"] == "mod@example.org"]


def test_reply_sent_straight_to_spam_emails_no_moderator(
    app: Flask, client: FlaskClient, tmp_path: Path
) -> None:
    app.config["MAIL_DIR"] = str(tmp_path)
    make_user(role=Role.MODERATOR, email="mod@example.org", email_verified_at=datetime.now(UTC))
    site_settings.store_moderation_settings(
        ModerationSettings(spam_keywords=["casino"], flood_seconds=0)
    )
    db.session.commit()
    post = make_post()
    guest = {"name": "Spammer", "email": "s@example.org"}
    client.post(f"/t/{post.slug}/replies", data={**guest, "body": "Best casino bonus here"})
    assert db.session.scalars(select(Reply.status)).one() is ReplyStatus.SPAM
    assert _to_moderator(tmp_path) == []
    client.post(f"/t/{post.slug}/replies", data={**guest, "body": "A calm first reply."})
    assert len(_to_moderator(tmp_path)) == 1  # a held reply still does


def test_queue_key_hint_names_every_key_including_undo(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.MODERATOR))
    html = client.get("/mod/queue/pending").get_data(as_text=True)
    hint = html.split('class="keyboard-hint"', 1)[1].split("</p>", 1)[0]
    for key in "jkxasderu?":
        assert f"<kbd>{key}</kbd>" in hint, key


def test_undo_bar_stays_until_the_next_action_or_a_minute(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.MODERATOR))
    html = client.get("/mod/queue/pending").get_data(as_text=True)
    assert 'data-undo-seconds="60"' in html
    script = (STATIC / "js" / "moderation.js").read_text()
    assert "form.dataset.undoSeconds" in script and "= 15" not in script
