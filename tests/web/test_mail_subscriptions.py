"""Subscriptions from the reply form: who gets mail about which replies and posts, and how often."""

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
from sqlalchemy import update

from forum.extensions import db
from forum.mail import plain_text
from forum.mail import read_outbox
from forum.mail import tasks
from forum.models import Delivery
from forum.models import MailThrottle
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import Scope
from forum.models import Subscription
from forum.models.base import utcnow
from forum.services import accounts
from forum.services import site_settings
from forum.services.mail import events
from forum.services.moderation import actions
from forum.services.site_settings import ModerationSettings
from tests.factories import make_post
from tests.factories import make_user

SUB = "sub@example.org"


@pytest.fixture
def mailbox(app: Flask, tmp_path: Path) -> Path:
    app.config["MAIL_DIR"] = str(tmp_path)
    return tmp_path


def mails_to(folder: Path, address: str, kind: str = "") -> list[Any]:
    return [m for m in read_outbox(folder) if m["To"] == address and kind in str(m["Message-ID"])]


def guest_reply(app: Flask, post: Post, email: str, body: str, **extra: str) -> None:
    """A reply from a visitor of their own (own browser, own guest token)."""
    client = app.test_client()
    data = {"name": email.split("@")[0].title(), "email": email, "body": body, **extra}
    response = client.post(f"/t/{post.slug}/replies", data=data)
    assert response.status_code in (201, 302, 303), response.get_data(as_text=True)[:300]


def subscribe(scope: Scope = Scope.THREAD, email: str = SUB, **target: Any) -> Subscription:
    accounts.confirm_guest_email(email)
    subscription = Subscription(email=email, scope=scope, **target)
    db.session.add(subscription)
    db.session.commit()
    return subscription


def time_passes() -> None:
    db.session.execute(update(MailThrottle).values(next_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    tasks.run_once()


def test_reply_three_in_a_minute_one_mail_then_one_more_after_interval(
    app: Flask, open_rules: None, mailbox: Path
) -> None:
    post = make_post()
    subscribe(post_id=post.id)
    for n in (1, 2, 3):
        guest_reply(app, post, "other@example.org", f"Reply number {n}")
    [first] = mails_to(mailbox, SUB)
    assert "Reply number 1" in plain_text(first) and "Reply number 2" not in plain_text(first)
    tasks.run_once()
    assert len(mails_to(mailbox, SUB)) == 1  # still within the interval
    time_passes()
    second = mails_to(mailbox, SUB)[1]
    assert "Reply number 2" in plain_text(second) and "Reply number 3" in plain_text(second)
    assert second["Subject"].startswith("2 new replies")
    time_passes()
    assert len(mails_to(mailbox, SUB)) == 2


def test_thread_mail_threads_in_mail_clients_and_offers_one_click_unsubscribe(
    app: Flask, open_rules: None, mailbox: Path
) -> None:
    post = make_post()
    subscribe(post_id=post.id)
    guest_reply(app, post, "other@example.org", "Hello there")
    [mail] = mails_to(mailbox, SUB)
    assert mail["In-Reply-To"] == mail["References"] == f"<post-{post.id}@localhost>"
    assert mail["List-Unsubscribe"].startswith("<http://localhost/mail/unsubscribe/")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.get_body(preferencelist=("html",)) is not None


def test_held_reply_notifies_subscribers_only_when_approved(app: Flask, mailbox: Path) -> None:
    post = make_post()
    subscribe(post_id=post.id)
    guest_reply(app, post, "newcomer@example.org", "My first words")
    reply = db.session.scalars(select(Reply)).one()
    assert reply.status is ReplyStatus.PENDING
    assert mails_to(mailbox, SUB) == []
    moderator = make_user(role=Role.MODERATOR)
    actions.moderate(moderator=moderator, reply_ids=[reply.id], action="approve")
    tasks.run_once()
    [mail] = mails_to(mailbox, SUB)
    assert "My first words" in plain_text(mail)


def test_spam_reply_mails_neither_subscribers_nor_moderators(app: Flask, mailbox: Path) -> None:
    make_user(role=Role.MODERATOR, email="mod@example.org", email_verified_at=datetime.now(UTC))
    site_settings.store_moderation_settings(
        ModerationSettings(spam_keywords=["casino"], flood_seconds=0, hold_first_time=False)
    )
    db.session.commit()
    post = make_post()
    subscribe(post_id=post.id)
    guest_reply(app, post, "spammer@example.org", "Best casino bonus")
    assert db.session.scalars(select(Reply.status)).one() is ReplyStatus.SPAM
    assert read_outbox(mailbox) == []


def test_reply_by_the_subscriber_is_not_mailed_to_them(
    app: Flask, open_rules: None, mailbox: Path
) -> None:
    post = make_post()
    subscribe(post_id=post.id)
    guest_reply(app, post, SUB, "My own reply", notify_thread="y")
    assert mails_to(mailbox, SUB) == []
    assert db.session.scalar(select(Subscription.id).where(Subscription.email == SUB)) is not None


def test_guest_who_ticks_a_box_is_asked_to_confirm_before_any_mail(
    app: Flask, open_rules: None, mailbox: Path
) -> None:
    post = make_post()
    guest_reply(app, post, "new@example.org", "Keep me posted", notify_thread="y")
    [confirm] = mails_to(mailbox, "new@example.org")
    assert "confirm" in confirm["Subject"].lower()
    guest_reply(app, post, "other@example.org", "An answer nobody is told of")
    assert len(mails_to(mailbox, "new@example.org")) == 1
    accounts.confirm_guest_email("new@example.org")
    guest_reply(app, post, "other@example.org", "An answer they hear of")
    mails = mails_to(mailbox, "new@example.org")
    assert len(mails) == 2 and "An answer they hear of" in plain_text(mails[1])


def test_reply_to_my_comment_mails_its_author_not_for_other_replies(
    app: Flask, client: FlaskClient, login: Any, open_rules: None, mailbox: Path
) -> None:
    post = make_post()
    author = login(make_user(email="me@example.org", email_verified_at=datetime.now(UTC)))
    form = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert re.search(r'<input checked[^>]*name="notify_replies"', form)  # on by default
    client.post(f"/t/{post.slug}/replies", data={"body": "My comment", "notify_replies": "y"})
    mine = db.session.scalars(select(Reply).where(Reply.author_id == author.id)).one()
    guest_reply(app, post, "other@example.org", "Elsewhere in the thread")
    assert mails_to(mailbox, "me@example.org") == []
    guest_reply(app, post, "other@example.org", "An answer to you", parent_id=str(mine.id))
    [mail] = mails_to(mailbox, "me@example.org")
    assert "An answer to you" in plain_text(mail)


def test_new_post_is_announced_once_to_posts_subscribers(app: Flask, mailbox: Path) -> None:
    subscribe(Scope.POSTS)
    later = make_post(title="Part 4", published_at=utcnow() + timedelta(hours=1))
    events.announce_live_posts()
    tasks.run_once()
    assert mails_to(mailbox, SUB) == []  # scheduled, not live yet
    db.session.execute(update(Post).values(published_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    events.announce_live_posts()
    tasks.run_once()
    events.announce_live_posts()
    tasks.run_once()
    [mail] = mails_to(mailbox, SUB)
    assert later.title in mail["Subject"]


def test_daily_subscription_gathers_replies_into_one_digest(
    app: Flask, open_rules: None, mailbox: Path
) -> None:
    post = make_post()
    subscribe(post_id=post.id, mode=Delivery.DAILY)
    guest_reply(app, post, "other@example.org", "Morning reply")
    guest_reply(app, post, "other@example.org", "Evening reply")
    assert mails_to(mailbox, SUB) == []
    assert tasks.send_daily_once() == 1
    assert tasks.send_daily_once() is None  # once a day
    [digest] = mails_to(mailbox, SUB)
    assert "Morning reply" in plain_text(digest) and "Evening reply" in plain_text(digest)


def test_account_turns_replies_default_off_box_starts_unticked(
    client: FlaskClient, login: Any
) -> None:
    login(make_user(email="me@example.org", email_verified_at=datetime.now(UTC)))
    post = make_post()
    response = client.post("/mail/preferences", data={}, follow_redirects=True)
    assert "Your notification default is saved" in response.get_data(as_text=True)
    form = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert 'name="notify_replies"' in form
    assert not re.search(r'<input checked[^>]*name="notify_replies"', form)
