"""A member makes an API token in settings, copies it once, and revokes it; on a phone too."""

from __future__ import annotations

import os

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.extensions import db
from forum.services import accounts
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.conftest import PageFactory

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("PORCH_SCREENSHOT_DIR")  # set it to keep screenshots of the pages
PASSWORD = "scripts need tokens too"
EMAIL = "ada@example.org"


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", [None, PHONE_VIEWPORT], ids=["desktop", "phone"])
def test_member_creates_token_sees_it_once_and_revokes_it(
    live_app: Flask, new_page: PageFactory, viewport: dict[str, int] | None
) -> None:
    with live_app.app_context():
        accounts.register_local(email=EMAIL, display_name="Ada", password=PASSWORD, min_length=10)
        db.session.commit()
    page = new_page(viewport=viewport) if viewport else new_page()
    page.goto("/account/login")
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.goto("/account/settings#tokens-heading")
    page.get_by_label("Token name").fill("Backup script")
    page.get_by_role("button", name="Create token").click()
    secret = page.get_by_label("Token “Backup script”")
    assert secret.input_value().startswith("porch_")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    # All of the token is in view, wrapped, not scrolled out of its box.
    fits = "e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight"
    assert secret.evaluate(fits)
    _shot(page, f"api-token-created-{'phone' if viewport else 'desktop'}")
    page.get_by_role("link", name="Back to your settings").click()
    expect(page.locator("strong", has_text="Backup script")).to_be_visible()
    _shot(page, f"api-token-settings-{'phone' if viewport else 'desktop'}")
    page.get_by_role("button", name="Revoke Backup script").click()
    expect(page.get_by_text("The token is revoked")).to_be_visible()
    expect(page.get_by_text("No tokens yet.")).to_be_visible()
