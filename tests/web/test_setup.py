"""The first visit to an empty production site: /setup, its gate, and its form."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import Role
from forum.models import User
from forum.services import setup
from forum.services.site_settings import site_settings
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_user

SITE_URL = "http://localhost"  # the test client's own address
FORM = {
    "site_name": "Quiet Porch",
    "time_zone": "Asia/Tokyo",
    "start": "empty",
    "display_name": "Ann Owner",
    "email": "ann@example.org",
    "password": "a long enough password",
    "confirm": "a long enough password",
}


def _production_app(**settings: Any) -> Iterator[Flask]:
    app = make_app(**{"ENV": "production", "SITE_URL": SITE_URL, **settings})
    app.test_client_class = RequestScopedClient
    with database_for(app):
        yield app


@pytest.fixture
def prod_app() -> Iterator[Flask]:
    yield from _production_app()


@pytest.fixture
def prod(prod_app: Flask) -> FlaskClient:
    return prod_app.test_client()


def _setup_done(client: FlaskClient) -> bool:
    with client.application.app_context():
        return setup.is_set_up()


def _admins() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Role.ADMIN)))


@pytest.mark.parametrize(
    ("method", "url"),
    [("GET", "/"), ("GET", "/account/login"), ("GET", "/mod"), ("POST", "/account/signup")],
)
def test_visit_empty_production_site_leads_to_setup(
    prod: FlaskClient, method: str, url: str
) -> None:
    response = prod.open(url, method=method)
    assert response.status_code in (302, 303)
    assert response.headers["Location"] == "/setup"


def test_visit_static_and_health_during_setup_are_not_redirected(prod: FlaskClient) -> None:
    with prod.get("/static/css/porch.css") as response:
        assert response.status_code == 200
    for probe in ("/healthz", "/readyz"):  # readyz 503s: tests build tables without Alembic
        health = prod.get(probe)
        assert health.is_json and "Location" not in health.headers


def test_the_browsers_icon_request_during_setup_gets_the_icon_and_leaves_the_session_alone(
    prod: FlaskClient,
) -> None:
    # Led to /setup, the browser's own request for the icon rendered the page beside the form's
    # POST and could answer last, with the session from before the POST: a provider sign-in
    # then came back to "Fill in the setup form first".
    with prod.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype.startswith("image/")
        assert "Set-Cookie" not in icon.headers


def test_visit_setup_on_empty_production_site_shows_the_form(prod: FlaskClient) -> None:
    page = prod.get("/setup").get_data(as_text=True)
    for label in ("Site name", "Time zone", "Start with the demo content", "Password again"):
        assert label in page
    assert '<option value="Europe/Berlin">Europe/Berlin</option>' in page


def test_visit_in_development_is_not_redirected_and_setup_is_absent(client: FlaskClient) -> None:
    assert client.get("/").status_code == 200
    assert client.get("/setup").status_code == 404


def test_setup_with_password_signs_in_the_admin_and_lands_on_the_site(prod: FlaskClient) -> None:
    response = prod.post("/setup", data=FORM)
    assert response.status_code == 303 and response.headers["Location"] == "/"
    page = prod.get("/").get_data(as_text=True)
    assert "the site is set up and you are its admin" in page
    assert "Quiet Porch" in page and "Ann Owner" in page
    assert prod.get("/mod/queue/pending").status_code == 200
    assert [admin.email for admin in _admins()] == ["ann@example.org"]


def test_setup_once_an_admin_exists_is_gone_and_nothing_redirects(
    prod_app: Flask, prod: FlaskClient
) -> None:
    make_user(role=Role.ADMIN)
    assert prod.get("/setup").status_code == 404
    assert prod.post("/setup", data=FORM).status_code == 404
    assert prod.get("/").status_code == 200
    assert _admins()[0].email != FORM["email"]


def test_setup_submitted_after_another_setup_answers_already_set_up(prod: FlaskClient) -> None:
    assert prod.post("/setup", data=FORM).status_code == 303
    late = prod.application.test_client()  # another browser, a moment too late
    response = late.post("/setup", data={**FORM, "email": "late@example.org"})
    assert response.status_code == 404
    assert "already set up" in response.get_data(as_text=True)
    assert len(_admins()) == 1


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_setup_from_another_address_is_refused_with_the_right_link(
    prod: FlaskClient, method: str
) -> None:
    response = prod.open("/setup", method=method, data=FORM, base_url="http://203.0.113.9:8000")
    assert response.status_code == 403
    page = response.get_data(as_text=True)
    assert "Open the site at its own address" in page and 'href="http://localhost/setup"' in page
    assert _admins() == []


def test_setup_over_https_behind_a_proxy_matches_the_forwarded_scheme() -> None:
    for app in _production_app(SITE_URL="https://talk.example.org", TRUSTED_PROXIES=1):
        browser = app.test_client()
        base = "http://talk.example.org"
        assert browser.get("/setup", base_url=base).status_code == 403
        forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
        assert browser.get("/setup", base_url=base, headers=forwarded).status_code == 200


def test_setup_with_bad_fields_shows_errors_and_keeps_input(prod: FlaskClient) -> None:
    bad = {**FORM, "site_name": "", "time_zone": "Mars/Olympus", "password": "short"}
    response = prod.post("/setup", data={**bad, "confirm": "other", "display_name": "Kept Name"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Give the site a name." in page
    assert "Choose a time zone from the list." in page
    assert "The two passwords differ." in page
    assert 'value="Kept Name"' in page and 'value="ann@example.org"' in page
    assert _admins() == [] and not _setup_done(prod)


def test_setup_with_a_short_password_names_the_minimum(prod: FlaskClient) -> None:
    response = prod.post("/setup", data={**FORM, "password": "short", "confirm": "short"})
    assert response.status_code == 400
    assert "Use at least 10 characters." in response.get_data(as_text=True)


def test_setup_starting_with_the_demo_shows_demo_posts(prod: FlaskClient) -> None:
    prod.post("/setup", data={**FORM, "start": "demo"})
    page = prod.get("/").get_data(as_text=True)
    assert "Demo content loaded" in page
    assert (db.session.scalar(select(func.count(Post.id))) or 0) > 0


def test_setup_starting_empty_shows_no_posts(prod: FlaskClient) -> None:
    prod.post("/setup", data=FORM)
    assert db.session.scalar(select(func.count(Post.id))) == 0


def test_setup_time_zone_is_used_for_dates_on_pages(prod: FlaskClient) -> None:
    prod.post("/setup", data=FORM)  # Asia/Tokyo, nine hours ahead of UTC
    post = make_post(published_at=datetime(2026, 3, 1, 20, 30, tzinfo=UTC))
    page = prod.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "March 2, 2026, 5:30\u202fAM JST" in page and ">March 2, 2026</time>" in page


def test_dates_without_a_chosen_zone_stay_in_utc(client: FlaskClient) -> None:
    post = make_post(published_at=datetime(2026, 3, 1, 20, 30, tzinfo=UTC))
    page = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "March 1, 2026, 8:30\u202fPM UTC" in page and ">March 1, 2026</time>" in page


def test_setup_without_csrf_token_is_refused() -> None:
    for app in _production_app(WTF_CSRF_ENABLED=True):
        response = app.test_client().post("/setup", data=FORM)
        assert response.status_code == 400
        with app.app_context():
            assert not setup.is_set_up()


def test_setup_attempts_are_rate_limited_like_sign_in() -> None:
    for app in _production_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute"):
        browser = app.test_client()
        bad = {**FORM, "password": "short", "confirm": "short"}
        statuses = [browser.post("/setup", data=bad).status_code for _ in range(3)]
        assert statuses == [400, 400, 429]


def test_time_zone_changed_in_the_dashboard_moves_the_dates(
    client: FlaskClient, login: Any
) -> None:
    login(make_user(role=Role.ADMIN))
    post = make_post(published_at=datetime(2026, 3, 1, 3, 30, tzinfo=UTC))
    form = {"site_name": "Porch Time", "time_zone": "America/New_York"}
    assert client.post("/mod/settings/site", data=form).status_code == 303
    page = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "February 28, 2026, 10:30\u202fPM EST" in page
    refused = client.post("/mod/settings/site", data={**form, "time_zone": "Nowhere/Land"})
    assert refused.status_code == 400
    assert "Choose a time zone from the list." in refused.get_data(as_text=True)
    assert site_settings().time_zone == "America/New_York"
