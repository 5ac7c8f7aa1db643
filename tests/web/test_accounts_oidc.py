"""Sign-in through a real OpenID Connect provider process (tests/oidc_provider), end to end.

The provider runs on 127.0.0.1 with real RS256-signed ID tokens and a JWKS endpoint; Porch's
Authlib client talks to it over HTTP. Its test switch makes it misbehave on purpose.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl
from urllib.parse import urlencode
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Identity
from forum.models import User
from forum.services import accounts
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import login_on
from tests.conftest import make_app
from tests.factories import make_post
from tests.oidc_provider.process import RunningProvider
from tests.oidc_provider.process import down_issuer
from tests.oidc_provider.process import sign_in
from tests.oidc_provider.process import start_provider

CLIENT_ID = "porch-tests"
CLIENT_SECRET = "porch-tests-secret"


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    running = start_provider(CLIENT_ID, CLIENT_SECRET)
    yield running
    running.stop()


@pytest.fixture
def idp_app(provider: RunningProvider) -> Iterator[Flask]:
    provider.reset()
    app = make_app(
        OAUTH_TESTIDP_CLIENT_ID=CLIENT_ID,
        OAUTH_TESTIDP_CLIENT_SECRET=CLIENT_SECRET,
        OAUTH_TESTIDP_ISSUER=provider.issuer,
        OAUTH_TESTIDP_LABEL="Test IdP",
        OAUTH_DOWN_CLIENT_ID="x",
        OAUTH_DOWN_CLIENT_SECRET="y",
        OAUTH_DOWN_ISSUER=down_issuer(),
    )
    app.test_client_class = RequestScopedClient
    with database_for(app):
        yield app


@pytest.fixture
def browser(idp_app: Flask) -> FlaskClient:
    return idp_app.test_client()


def _go_to_provider(client: FlaskClient, next_url: str = "/", intent: str = "signin") -> str:
    response = client.post("/account/login/testidp", data={"next": next_url, "intent": intent})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def _callback_path(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == "/account/login/testidp/callback"
    return f"{parts.path}?{parts.query}"


def _sign_in_as(client: FlaskClient, username: str, next_url: str = "/") -> Any:
    authorize_url = _go_to_provider(client, next_url)
    return client.get(_callback_path(sign_in(authorize_url, username)))


def _counts() -> tuple[int, int]:
    users = db.session.scalar(select(func.count(User.id))) or 0
    identities = db.session.scalar(select(func.count(Identity.id))) or 0
    return users, identities


def test_authorize_request_uses_pkce_s256_state_nonce_and_the_exact_callback(
    browser: FlaskClient,
) -> None:
    query = dict(parse_qsl(urlsplit(_go_to_provider(browser)).query))
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) >= 43
    assert query["state"] and query["nonce"]
    assert query["redirect_uri"] == "http://localhost/account/login/testidp/callback"
    assert "openid" in query["scope"].split()


def test_first_sign_in_creates_an_account_with_verified_email(browser: FlaskClient) -> None:
    post = make_post()
    response = _sign_in_as(browser, "alice", next_url=f"/t/{post.slug}")
    assert response.status_code == 303 and response.headers["Location"] == f"/t/{post.slug}"
    user = db.session.scalars(select(User)).one()
    assert (user.display_name, user.email, user.email_verified) == (
        "Alice Example",
        "alice@example.org",
        True,
    )
    identity = db.session.scalars(select(Identity)).one()
    assert (identity.provider, identity.subject) == ("testidp", "alice-sub-001")
    page = browser.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "You are commenting as <strong><bdi>Alice Example</bdi></strong> via Test IdP" in page


def test_second_sign_in_returns_to_the_same_account(idp_app: Flask, browser: FlaskClient) -> None:
    _sign_in_as(browser, "alice")
    other_browser = idp_app.test_client()
    response = _sign_in_as(other_browser, "alice")
    assert response.status_code == 303
    assert _counts() == (1, 1)


def test_signed_in_member_links_a_provider_from_settings(browser: FlaskClient) -> None:
    member = accounts.register_local(
        email="zed@example.org", display_name="Zed", password="long enough pw", min_length=10
    )
    accounts.mark_email_verified(user_id=member.id, email="zed@example.org")
    login_on(browser, member)
    location = sign_in(_go_to_provider(browser, "/account/settings", intent="link"), "alice")
    response = browser.get(_callback_path(location))
    assert response.status_code == 303
    identity = db.session.scalars(select(Identity)).one()
    assert identity.user_id == member.id
    assert _counts() == (1, 1)


def test_no_linking_while_the_accounts_email_is_unconfirmed(browser: FlaskClient) -> None:
    """Else a squatter could sign up with someone's address, link their own provider, and keep
    a way in after the real owner recovers the account by password reset."""
    squatted = accounts.register_local(
        email="carol@example.org", display_name="Not Carol", password="squatter pw!", min_length=10
    )
    login_on(browser, squatted)
    location = sign_in(_go_to_provider(browser, "/account/settings", intent="link"), "alice")
    response = browser.get(_callback_path(location), follow_redirects=True)
    assert "Confirm your email address first" in response.get_data(as_text=True)
    assert _counts() == (1, 0)


def test_verified_email_matching_an_account_links_only_after_the_owner_proves_it(
    browser: FlaskClient,
) -> None:
    accounts.register_local(
        email="carol@example.org", display_name="Carol", password="carol's password", min_length=10
    )
    response = _sign_in_as(browser, "carol")
    assert response.status_code == 303 and response.headers["Location"].startswith("/account/link")
    assert _counts() == (1, 0)
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "carol@example.org" in page and "Is this your account?" in page
    wrong = browser.post("/account/login", data={"email": "carol@example.org", "password": "guess"})
    assert wrong.status_code == 400 and _counts() == (1, 0)
    proved = browser.post(
        "/account/login", data={"email": "carol@example.org", "password": "carol's password"}
    )
    assert proved.status_code == 303
    identity = db.session.scalars(select(Identity)).one()
    assert identity.user.email == "carol@example.org" and _counts() == (1, 1)


def test_unverified_email_is_never_used_to_link(browser: FlaskClient) -> None:
    owner = accounts.register_local(
        email="bob@example.org", display_name="Real Bob", password="bob's password", min_length=10
    )
    response = _sign_in_as(browser, "bob")
    assert response.status_code == 303 and response.headers["Location"] == "/"
    identity = db.session.scalars(select(Identity)).one()
    assert identity.user_id != owner.id
    assert identity.user.email is None  # the unverified address is not given to the new account
    assert _counts() == (2, 1)


@pytest.mark.parametrize(
    "mode", ["wrong_audience", "expired", "bad_signature", "wrong_nonce", "wrong_issuer"]
)
def test_bad_id_token_fails_cleanly_and_creates_nothing(
    provider: RunningProvider, browser: FlaskClient, mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    provider.set_mode(mode)
    response = _sign_in_as(browser, "alice")
    assert response.status_code == 400
    assert "Sign-in failed" in response.get_data(as_text=True)
    assert _counts() == (0, 0)
    assert "sign-in with testidp failed" in caplog.text
    assert "Log out" not in browser.get("/").get_data(as_text=True)


def test_tampered_state_fails_cleanly(browser: FlaskClient) -> None:
    location = sign_in(_go_to_provider(browser), "alice")
    parts = urlsplit(location)
    query = dict(parse_qsl(parts.query))
    query["state"] = query["state"][:-2] + "xx"
    response = browser.get(f"{parts.path}?{urlencode(query)}")
    assert response.status_code == 400 and "Sign-in failed" in response.get_data(as_text=True)
    assert _counts() == (0, 0)


def test_replayed_callback_fails_the_second_time(idp_app: Flask, browser: FlaskClient) -> None:
    callback = _callback_path(sign_in(_go_to_provider(browser), "alice"))
    assert browser.get(callback).status_code == 303
    assert idp_app.test_client().get(callback).status_code == 400
    assert _counts() == (1, 1)


def test_denied_consent_fails_cleanly(browser: FlaskClient) -> None:
    location = sign_in(_go_to_provider(browser), "alice", deny=True)
    response = browser.get(_callback_path(location))
    assert response.status_code == 400 and _counts() == (0, 0)


def test_provider_that_is_down_fails_cleanly(browser: FlaskClient) -> None:
    response = browser.post("/account/login/down", data={"next": "/"})
    assert response.status_code == 502
    assert "Sign-in failed" in response.get_data(as_text=True)
    assert _counts() == (0, 0)


def test_unknown_provider_is_404(browser: FlaskClient) -> None:
    assert browser.post("/account/login/nosuch").status_code == 404
    assert browser.get("/account/login/nosuch/callback").status_code == 404


def test_login_page_and_reply_form_show_one_button_per_configured_provider(
    browser: FlaskClient,
) -> None:
    post = make_post()
    login_page = browser.get("/account/login").get_data(as_text=True)
    thread = browser.get(f"/t/{post.slug}").get_data(as_text=True)
    for page in (login_page, thread):
        assert "Sign in with Test IdP" in page and "Sign in with Down" in page
        assert "GitHub" not in page and "Google" not in page
