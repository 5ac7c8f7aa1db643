"""The first visit to an empty production site: the setup page, filled in, lands signed in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.services.site_settings import site_settings
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.conftest import PageFactory
from tests.oidc_provider.process import RunningProvider
from tests.oidc_provider.process import start_provider

pytestmark = pytest.mark.browser
SCREENSHOTS = os.environ.get("PORCH_SCREENSHOT_DIR")  # set it to keep the pages as PNG files


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    running = start_provider("porch-browser-setup", "porch-browser-setup-secret")
    yield running
    running.stop()


@pytest.fixture
def live_app_settings(provider: RunningProvider) -> dict[str, Any]:
    provider.reset()
    return {
        "ENV": "production",
        "SITE_URL": "http://placeholder.invalid",  # the live server's address, once it has one
        "OAUTH_TESTIDP_CLIENT_ID": provider.client_id,
        "OAUTH_TESTIDP_CLIENT_SECRET": provider.client_secret,
        "OAUTH_TESTIDP_ISSUER": provider.issuer,
        "OAUTH_TESTIDP_LABEL": "Test IdP",
    }


@pytest.fixture
def site(live_app: Flask, live_server: str) -> str:
    live_app.config["SITE_URL"] = live_server
    return live_server


def _shoot(page: Page, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, name), full_page=True)


def _no_horizontal_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"page is {width}px wide"


def test_setup_on_empty_production_site_lands_signed_in_as_admin(
    site: str, live_app: Flask, new_page: PageFactory
) -> None:
    page = new_page(timezone_id="Europe/Paris")
    page.goto("/")
    expect(page).to_have_url(f"{site}/setup")
    expect(page.get_by_role("heading", name="Welcome to Porch")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Europe/Paris")  # the browser's own
    _shoot(page, "setup-1280.png")
    violations = [v for v in Axe().run(page).response["violations"] if v["impact"] == "critical"]
    assert violations == []

    page.get_by_label("Site name").fill("Garden Porch")
    page.get_by_label("Start empty").check()
    page.get_by_label("Your name").fill("Ann Owner")
    page.get_by_label("Email").fill("ann@example.org")
    page.get_by_label("Password", exact=True).fill("a long enough password")
    page.get_by_label("Password again").fill("a long enough password")
    page.get_by_role("button", name="Set up the site").click()

    expect(page).to_have_url(f"{site}/")
    expect(page.locator(".flash, [role=status], .flash-list").first).to_contain_text(
        "the site is set up and you are its admin"
    )
    expect(page.locator(".site-title")).to_have_text("Garden Porch")
    expect(page.get_by_role("link", name="Moderate")).to_be_visible()
    expect(page.get_by_role("link", name="Ann Owner")).to_be_visible()
    with live_app.app_context():
        assert site_settings().time_zone == "Europe/Paris"
    assert page.goto("/setup").status == 404


def test_setup_page_on_a_phone_fits_and_shows_field_errors(
    site: str, new_page: PageFactory
) -> None:
    page = new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    page.goto("/setup")
    _no_horizontal_scroll(page)
    _shoot(page, "setup-375.png")
    page.get_by_label("Your name").fill("Ann Owner")
    page.get_by_role("button", name="Set up the site").click()
    expect(page.get_by_text("Give the site a name.")).to_be_visible()
    expect(page.get_by_label("Your name")).to_have_value("Ann Owner")
    _no_horizontal_scroll(page)
    _shoot(page, "setup-375-errors.png")


def test_setup_with_provider_in_the_browser_makes_that_person_admin(
    site: str, page: Page
) -> None:
    page.goto("/setup")
    page.get_by_label("Site name").fill("Provider Porch")
    page.get_by_role("button", name="Sign in with Test IdP").click()
    page.get_by_label("Username").select_option("alice")
    page.get_by_role("button", name="Sign in and allow").click()
    expect(page).to_have_url(f"{site}/")
    expect(page.locator(".site-title")).to_have_text("Provider Porch")
    expect(page.get_by_role("link", name="Alice Example")).to_be_visible()
    expect(page.get_by_role("link", name="Moderate")).to_be_visible()


def test_setup_at_another_address_explains_where_to_go(
    live_app: Flask, live_server: str, page: Page
) -> None:
    live_app.config["SITE_URL"] = live_server.replace("127.0.0.1", "localhost")
    response = page.goto("/setup")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="Open the site at its own address")).to_be_visible()
    expect(page.get_by_role("link", name="Continue at")).to_have_attribute(
        "href", live_server.replace("127.0.0.1", "localhost") + "/setup"
    )
