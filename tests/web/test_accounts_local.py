"""Local accounts: sign-up, sign-in, sign-out, password reset, email confirmation, rate limits."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.mail import plain_text
from forum.mail import read_outbox
from forum.models import User
from forum.services import accounts
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import make_app

PASSWORD = "correct horse battery"


@pytest.fixture
def mail_dir(tmp_path: Path) -> Path:
    return tmp_path / "mail"


@pytest.fixture
def site(mail_dir: Path) -> Iterator[Flask]:
    app = make_app(MAIL_DIR=str(mail_dir), WTF_CSRF_ENABLED=True)
    app.test_client_class = RequestScopedClient
    with database_for(app):
        yield app


@pytest.fixture
def browser(site: Flask) -> FlaskClient:
    return site.test_client()


def _csrf(client: FlaskClient, path: str = "/account/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)  # type: ignore[union-attr]


def _post(client: FlaskClient, path: str, **data: str) -> Any:
    return client.post(path, data={"csrf_token": _csrf(client), **data})


def _member(email: str = "mia@example.org") -> User:
    return accounts.register_local(
        email=email, display_name="Mia", password=PASSWORD, min_length=10
    )


def _link_in_last_mail(mail_dir: Path) -> str:
    body = plain_text(read_outbox(mail_dir)[-1])
    return re.search(r"http://localhost(/\S+)", body).group(1)  # type: ignore[union-attr]


def test_sign_up_creates_member_signs_in_and_mails_a_confirmation_link(
    browser: FlaskClient, mail_dir: Path
) -> None:
    response = _post(
        browser, "/account/signup", display_name="Mia", email="Mia@Example.org", password=PASSWORD
    )
    assert response.status_code == 303
    user = db.session.scalars(select(User)).one()
    assert (user.email, user.role.value, user.email_verified) == (
        "mia@example.org",
        "member",
        False,
    )
    assert (
        user.password_hash
        and PASSWORD not in user.password_hash
        and user.password_hash.startswith("scrypt:")
    )
    mail = read_outbox(mail_dir)[-1]
    assert mail["To"] == "mia@example.org" and "Confirm your email" in mail["Subject"]
    assert "Log out" in browser.get("/").get_data(as_text=True)


def test_sign_up_refuses_taken_email_and_short_password_keeping_the_form(
    browser: FlaskClient,
) -> None:
    _member()
    taken = _post(
        browser, "/account/signup", display_name="Other", email="mia@example.org", password=PASSWORD
    )
    short = _post(
        browser, "/account/signup", display_name="Short", email="s@example.org", password="abc"
    )
    assert taken.status_code == short.status_code == 400
    assert "already exists" in taken.get_data(as_text=True)
    assert "at least 10 characters" in short.get_data(as_text=True)
    assert 'value="Short"' in short.get_data(as_text=True)
    assert len(db.session.scalars(select(User)).all()) == 1


def test_confirmation_link_asks_for_a_click_then_confirms(
    browser: FlaskClient, mail_dir: Path
) -> None:
    _post(
        browser, "/account/signup", display_name="Mia", email="mia@example.org", password=PASSWORD
    )
    link = _link_in_last_mail(mail_dir)
    assert "Confirm my address" in browser.get(link).get_data(as_text=True)
    assert db.session.scalars(select(User)).one().email_verified_at is None
    assert _post(browser, link).status_code == 303
    db.session.expire_all()
    assert db.session.scalars(select(User)).one().email_verified


def test_wrong_password_and_unknown_email_get_the_same_vague_message(browser: FlaskClient) -> None:
    _member()
    wrong = _post(browser, "/account/login", email="mia@example.org", password="not it at all")
    unknown = _post(browser, "/account/login", email="nobody@example.org", password="not it at all")
    for response in (wrong, unknown):
        assert response.status_code == 400
        assert "That email and password do not match an account." in response.get_data(as_text=True)
    assert "Log out" not in browser.get("/").get_data(as_text=True)


def test_sign_in_starts_a_fresh_session_and_follows_only_local_next(browser: FlaskClient) -> None:
    _member()
    token_before = _csrf(browser)
    response = browser.post(
        "/account/login",
        data={
            "csrf_token": token_before,
            "email": "mia@example.org",
            "password": PASSWORD,
            "next": "/t/x",
        },
    )
    assert response.status_code == 303 and response.headers["Location"] == "/t/x"
    assert _csrf(browser) != token_before  # the pre-sign-in token was dropped with the old session
    stale = browser.post("/account/logout", data={"csrf_token": token_before})
    assert stale.status_code == 400


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "http:/x",
    ],
)
def test_next_never_leaves_the_site(browser: FlaskClient, target: str) -> None:
    _member()
    response = _post(
        browser, "/account/login", email="mia@example.org", password=PASSWORD, next=target
    )
    assert response.headers["Location"] == "/"


def test_sign_out_is_a_post_with_csrf(browser: FlaskClient) -> None:
    _member()
    _post(browser, "/account/login", email="mia@example.org", password=PASSWORD)
    assert browser.get("/account/logout").status_code == 405
    assert browser.post("/account/logout").status_code == 400
    assert "Log out" in browser.get("/").get_data(as_text=True)
    assert _post(browser, "/account/logout").status_code == 303
    assert "Log out" not in browser.get("/").get_data(as_text=True)


def test_password_reset_link_works_once(browser: FlaskClient, mail_dir: Path) -> None:
    user = _member()
    old_session_token = user.session_token
    sent = _post(browser, "/account/reset", email="mia@example.org")
    assert "Check your email" in sent.get_data(as_text=True)
    link = _link_in_last_mail(mail_dir)
    new_password = "a brand new passphrase"
    done = _post(browser, link, password=new_password, confirm=new_password)
    assert done.status_code == 303
    db.session.expire_all()
    refreshed = db.session.get(User, user.id)
    assert (
        refreshed is not None and refreshed.session_token != old_session_token
    )  # signed out elsewhere
    assert accounts.authenticate(email="mia@example.org", password=new_password).id == user.id
    reused = browser.get(link)
    assert reused.status_code == 400 and "already been used" in reused.get_data(as_text=True)


def test_password_reset_link_expires(site: Flask, browser: FlaskClient, mail_dir: Path) -> None:
    _member()
    _post(browser, "/account/reset", email="mia@example.org")
    site.config["RESET_TOKEN_MAX_AGE"] = -1  # any token is now older than allowed
    response = browser.get(_link_in_last_mail(mail_dir))
    assert response.status_code == 400 and "expired" in response.get_data(as_text=True)


def test_reset_for_unknown_email_says_the_same_and_sends_nothing(
    browser: FlaskClient, mail_dir: Path
) -> None:
    response = _post(browser, "/account/reset", email="ghost@example.org")
    assert "If an account uses" in response.get_data(as_text=True)
    assert not mail_dir.exists() or read_outbox(mail_dir) == []


def test_tampered_reset_link_is_refused(browser: FlaskClient, mail_dir: Path) -> None:
    _member()
    _post(browser, "/account/reset", email="mia@example.org")
    link = _link_in_last_mail(mail_dir)
    response = browser.get(link[:-3] + "abc")
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("path", "limit_key", "data"),
    [
        (
            "/account/login",
            "LOGIN_RATE_LIMIT",
            {"email": "mia@example.org", "password": "nope nope"},
        ),
        (
            "/account/signup",
            "SIGNUP_RATE_LIMIT",
            {"display_name": "X", "email": "x@example.org", "password": "short"},
        ),
        ("/account/reset", "RESET_RATE_LIMIT", {"email": "mia@example.org"}),
    ],
)
def test_sign_in_sign_up_and_reset_are_rate_limited(
    path: str, limit_key: str, data: dict[str, str]
) -> None:
    app = make_app(RATELIMIT_ENABLED=True, **{limit_key: "2 per minute"})
    app.test_client_class = RequestScopedClient
    with database_for(app):
        client = app.test_client()
        codes = [client.post(path, data=data).status_code for _ in range(3)]
        assert codes[-1] == 429 and 429 not in codes[:2]
        assert "Too many requests" in client.post(path, data=data).get_data(as_text=True)
