"""Unsubscribing: one-click links that cannot be forged or turned on another subscription."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.models import Delivery
from forum.models import MailAddress
from forum.models import MailMessage
from forum.models import MailStatus
from forum.models import Scope
from forum.models import Subscription
from forum.services import accounts
from forum.services.mail import subscriptions
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_user


def _subscription(email: str = "reader@example.org", **fields: Any) -> Subscription:
    accounts.confirm_guest_email(email)
    fields.setdefault("scope", Scope.POSTS)
    subscription = Subscription(email=email, **fields)
    db.session.add(subscription)
    db.session.commit()
    return subscription


def _token(subscription: Subscription) -> str:
    with db.session.no_autoflush:
        return subscriptions.unsubscribe_token(subscription, subscription.email or "")


def _left() -> list[int]:
    return list(db.session.scalars(select(Subscription.id).order_by(Subscription.id)))


def test_one_click_post_without_csrf_ends_exactly_that_subscription(
    csrf_client: FlaskClient,
) -> None:
    with csrf_client.application.app_context():
        mine = _subscription()
        other = _subscription(scope=Scope.THREAD, post_id=make_post().id)
        token, other_id = _token(mine), other.id
    response = csrf_client.post(
        f"/mail/unsubscribe/{token}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    assert "You are unsubscribed" in response.get_data(as_text=True)
    with csrf_client.application.app_context():
        assert _left() == [other_id]


def test_unsubscribe_link_get_only_asks(client: FlaskClient) -> None:
    token = _token(_subscription())
    page = client.get(f"/mail/unsubscribe/{token}")
    assert page.status_code == 200 and "Stop this mail" in page.get_data(as_text=True)
    assert "Stop all mail from this site" in page.get_data(as_text=True)
    assert len(_left()) == 1


def test_unsubscribe_forged_token_is_refused_and_changes_nothing(client: FlaskClient) -> None:
    token = _token(_subscription())
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    for bad in (forged, "not-a-token"):
        response = client.post(f"/mail/unsubscribe/{bad}")
        assert response.status_code == 400
        assert "does not work" in response.get_data(as_text=True)
    assert len(_left()) == 1


def test_unsubscribe_expired_token_is_refused(app: Flask, client: FlaskClient) -> None:
    token = _token(_subscription())
    app.config["UNSUBSCRIBE_TOKEN_MAX_AGE"] = -1
    response = client.post(f"/mail/unsubscribe/{token}")
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)
    assert len(_left()) == 1


def test_unsubscribe_reused_link_answers_already_done(client: FlaskClient) -> None:
    token = _token(_subscription())
    assert client.post(f"/mail/unsubscribe/{token}").status_code == 200
    again = client.post(f"/mail/unsubscribe/{token}")
    assert again.status_code == 200 and "already unsubscribed" in again.get_data(as_text=True)
    assert "already unsubscribed" in client.get(f"/mail/unsubscribe/{token}").get_data(as_text=True)


def test_unsubscribe_token_of_one_address_cannot_end_another_addresss_row(
    client: FlaskClient,
) -> None:
    first = _subscription("first@example.org")
    token, row_id = _token(first), first.id
    db.session.delete(first)
    db.session.commit()
    # The same row id now belongs to someone else (SQLite may reuse ids).
    db.session.add(Subscription(id=row_id, email="second@example.org", scope=Scope.POSTS))
    accounts.confirm_guest_email("second@example.org")
    response = client.post(f"/mail/unsubscribe/{token}")
    assert response.status_code == 400
    assert _left() == [row_id]


def test_stop_all_mail_ends_every_subscription_and_skips_later_mail(
    client: FlaskClient, open_rules: None, tmp_path: Path, app: Flask
) -> None:
    app.config["MAIL_DIR"] = str(tmp_path)
    post = make_post()
    mine = _subscription(scope=Scope.THREAD, post_id=post.id)
    _subscription(scope=Scope.POSTS)
    _subscription("someone-else@example.org")
    response = client.post(f"/mail/unsubscribe/{_token(mine)}/all")
    assert response.status_code == 200 and "No more mail" in response.get_data(as_text=True)
    emails = db.session.scalars(select(Subscription.email)).all()
    assert emails == ["someone-else@example.org"]
    address = db.session.get(MailAddress, "reader@example.org")
    assert address is not None and address.stopped_at is not None


def test_settings_list_every_subscription_and_end_one(
    client: FlaskClient, login: Any, open_rules: None
) -> None:
    user = login(make_user(email="me@example.org", email_verified_at=datetime.now(UTC)))
    post = make_post(title="Part 3")
    category = make_category(name="Series A")
    client.post(f"/t/{post.slug}/replies", data={"body": "Hi", "notify_thread": "y"})
    client.post("/mail/subscriptions", data={"target": f"c:{category.id}", "mode": "daily"})
    page = client.get("/account/settings").get_data(as_text=True)
    assert "New replies in “Part 3”" in page and "New posts in Series A" in page
    thread = db.session.scalars(
        select(Subscription).where(
            Subscription.user_id == user.id, Subscription.scope == Scope.THREAD
        )
    ).one()
    ended = client.post(f"/mail/subscriptions/{thread.id}/end", follow_redirects=True)
    assert "That subscription is ended" in ended.get_data(as_text=True)
    assert "New replies in “Part 3”" not in ended.get_data(as_text=True)
    posts = db.session.scalars(select(Subscription)).one()
    assert posts.mode is Delivery.DAILY


def test_settings_end_someone_elses_subscription_is_not_found(
    client: FlaskClient, login: Any
) -> None:
    theirs = _subscription()
    login(make_user(email="me@example.org", email_verified_at=datetime.now(UTC)))
    assert client.post(f"/mail/subscriptions/{theirs.id}/end").status_code == 404
    assert len(_left()) == 1


def test_mail_for_ended_subscription_is_not_sent(app: Flask, tmp_path: Path) -> None:
    from forum.mail import worker
    from forum.services.mail import outbox

    app.config["MAIL_DIR"] = str(tmp_path)
    post = make_post()
    subscription = _subscription(scope=Scope.THREAD, post_id=post.id)
    message = outbox.queue_message(
        kind="new_post",
        to="reader@example.org",
        data={"post_id": post.id},
        subscription_id=subscription.id,
    )
    db.session.commit()
    db.session.delete(subscription)
    db.session.commit()
    worker.deliver_due()
    assert db.session.get(MailMessage, message.id).status is MailStatus.SKIPPED  # type: ignore[union-attr]


def test_link_in_mail_switches_to_daily_digest_without_signing_in(client: FlaskClient) -> None:
    subscription = _subscription(scope=Scope.THREAD, post_id=make_post().id)
    page = client.get(f"/mail/unsubscribe/{_token(subscription)}").get_data(as_text=True)
    assert "Send me a daily digest instead" in page
    response = client.post(f"/mail/unsubscribe/{_token(subscription)}/daily")
    assert response.status_code == 200 and "once a day" in response.get_data(as_text=True)
    db.session.refresh(subscription)
    assert subscription.mode is Delivery.DAILY


def test_subscribe_to_posts_with_an_unknown_target_is_refused_with_400(
    client: FlaskClient, login: Any
) -> None:
    user = login(make_user(email="me@example.org", email_verified_at=datetime.now(UTC)))
    response = client.post("/mail/subscriptions", data={"target": "c:999999", "mode": "daily"})
    assert response.status_code == 400
    assert subscriptions.for_user(user) == []
