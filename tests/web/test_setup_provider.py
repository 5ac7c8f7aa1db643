"""Setup by signing in with a provider: the test OpenID Connect provider's account becomes admin."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.models import Identity
from forum.models import Role
from forum.models import User
from forum.services.site_settings import site_settings
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import make_app
from tests.oidc_provider.process import RunningProvider
from tests.oidc_provider.process import sign_in
from tests.oidc_provider.process import start_provider

CLIENT_ID = "porch-setup-tests"
CLIENT_SECRET = "porch-setup-tests-secret"
SITE = {"site_name": "Provider Porch", "time_zone": "America/Chicago", "start": "empty"}


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    running = start_provider(CLIENT_ID, CLIENT_SECRET)
    yield running
    running.stop()


@pytest.fixture
def browser(provider: RunningProvider) -> Iterator[FlaskClient]:
    provider.reset()
    app: Flask = make_app(
        ENV="production",
        SITE_URL="http://localhost",
        OAUTH_TESTIDP_CLIENT_ID=CLIENT_ID,
        OAUTH_TESTIDP_CLIENT_SECRET=CLIENT_SECRET,
        OAUTH_TESTIDP_ISSUER=provider.issuer,
        OAUTH_TESTIDP_LABEL="Test IdP",
    )
    app.test_client_class = RequestScopedClient
    with database_for(app):
        yield app.test_client()


def _callback_path(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == "/account/login/testidp/callback"
    return f"{parts.path}?{parts.query}"


def test_setup_page_offers_the_configured_provider(browser: FlaskClient) -> None:
    page = browser.get("/setup").get_data(as_text=True)
    assert 'formaction="/setup/provider/testidp"' in page and "Sign in with Test IdP" in page


def test_setup_with_provider_makes_the_signed_in_person_admin(browser: FlaskClient) -> None:
    started = browser.post("/setup/provider/testidp", data=SITE)
    assert started.status_code == 302
    response = browser.get(_callback_path(sign_in(started.headers["Location"], "alice")))
    assert response.status_code == 303 and response.headers["Location"] == "/"
    admin = db.session.scalars(select(User)).one()
    assert (admin.display_name, admin.email, admin.role) == (
        "Alice Example",
        "alice@example.org",
        Role.ADMIN,
    )
    identity = db.session.scalars(select(Identity)).one()
    assert (identity.provider, identity.user_id) == ("testidp", admin.id)
    settings = site_settings()
    assert (settings.site_name, settings.time_zone) == ("Provider Porch", "America/Chicago")
    page = browser.get("/").get_data(as_text=True)
    assert "you are its admin" in page and "Provider Porch" in page
    assert browser.get("/setup").status_code == 404


def test_setup_with_provider_and_bad_site_choices_stays_on_the_form(browser: FlaskClient) -> None:
    response = browser.post("/setup/provider/testidp", data={**SITE, "site_name": ""})
    assert response.status_code == 400
    assert "Give the site a name." in response.get_data(as_text=True)


def test_provider_callback_without_the_setup_choices_goes_back_to_setup(
    browser: FlaskClient,
) -> None:
    response = browser.get("/account/login/testidp/callback?code=x&state=y")
    assert response.status_code == 303 and response.headers["Location"] == "/setup"
    assert db.session.scalars(select(User)).all() == []


def test_setup_with_provider_refused_by_the_person_creates_nobody(
    browser: FlaskClient,
) -> None:
    started = browser.post("/setup/provider/testidp", data=SITE)
    denied = sign_in(started.headers["Location"], "alice", deny=True)
    response = browser.get(_callback_path(denied))
    assert response.status_code == 400
    assert 'href="/setup"' in response.get_data(as_text=True)
    assert db.session.scalars(select(User)).all() == []
    kept = browser.get("/setup").get_data(as_text=True)
    assert 'value="Provider Porch"' in kept
