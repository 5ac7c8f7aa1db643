"""The desk in a real browser: an author writes a post, previews it, publishes it and reads it
on the index and its thread page; the desk pages pass axe and fit a phone."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Role
from forum.services import accounts
from tests.browser.conftest import DESKTOP_VIEWPORT
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.conftest import PageFactory
from tests.browser.test_accessibility import _blocking_violations
from tests.browser.test_accessibility import _report
from tests.factories import make_category
from tests.factories import make_post

pytestmark = pytest.mark.browser

PASSWORD = "writing takes a long time"
EMAIL = "ada@example.org"
BODY = "## Day one\n\nWe walked **far**.\n\n| Day | Miles |\n|---|---|\n| 1 | 12 |"


def _make_author(name: str = "Ada", role: Role = Role.MEMBER) -> None:
    """A member allowed to write, with a password (call inside an app context)."""
    user = accounts.register_local(email=EMAIL, display_name=name, password=PASSWORD, min_length=10)
    user.role, user.can_author = role, True
    db.session.commit()


def _sign_in(page: Page) -> None:
    page.goto("/account/login")
    page.get_by_label("Email", exact=True).fill(EMAIL)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("link", name="Ada")).to_be_visible()


def _write(page: Page) -> None:
    page.get_by_role("link", name="Desk", exact=True).click()
    page.get_by_role("link", name="Write a post").first.click()
    page.get_by_label("Title").fill("A walk in the hills")
    page.get_by_label("Text (Markdown)").fill(BODY)
    page.get_by_label("Category").select_option(label="Travel")


def test_author_writes_previews_publishes_and_reads_the_post(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        _make_author()
        make_category(name="Travel", slug="travel")
    _sign_in(page)
    _write(page)
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("[data-desk-preview]")
    expect(preview.get_by_role("heading", name="Day one")).to_be_visible()
    expect(preview.locator("table")).to_contain_text("Miles")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator(".flash")).to_contain_text("Published: “A walk in the hills” is live.")
    page.goto("/")
    page.get_by_role("link", name="A walk in the hills").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A walk in the hills")
    expect(page.locator(".post__body h2")).to_have_text("Day one")
    expect(page.locator(".post__meta")).to_contain_text("Travel")
    expect(page.get_by_role("heading", name="Leave a reply")).to_be_visible()


def test_preview_without_javascript_is_rendered_by_the_server(
    live_app: Flask, no_js_page: Page
) -> None:
    with live_app.app_context():
        _make_author()
        make_category(name="Travel", slug="travel")
    _sign_in(no_js_page)
    _write(no_js_page)
    no_js_page.get_by_role("button", name="Preview").click()
    expect(no_js_page.locator("[data-desk-preview-body] h2")).to_have_text("Day one")
    expect(no_js_page.get_by_label("Title")).to_have_value("A walk in the hills")
    no_js_page.get_by_role("button", name="Save draft").click()
    expect(no_js_page.locator(".flash")).to_contain_text("Draft saved")
    expect(no_js_page.locator(".desk-status")).to_contain_text("Draft")


def test_desk_pages_pass_axe_and_fit_a_phone(live_app: Flask, new_page: PageFactory) -> None:
    with live_app.app_context():
        _make_author()
        category = make_category(name="A category with a rather long name", slug="long")
        make_post(title="An already published post with a long title to wrap", category=category)
        make_post(title="Unfinished thoughts", status="draft")
    found = []
    for viewport in (DESKTOP_VIEWPORT, PHONE_VIEWPORT):
        page = new_page(viewport=viewport)
        _sign_in(page)
        for path in ("/desk", "/desk/posts/new", "/desk/posts/1", "/desk/categories"):
            page.goto(path)
            found += _blocking_violations(page, path)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{path} overflows at {viewport['width']} px"
    assert not found, "Serious or critical accessibility violations:\n" + _report(found)
