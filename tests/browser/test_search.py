"""Searching from the header box, seeing the matches marked, and following one to its reply."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.factories import make_post
from tests.factories import make_reply

pytestmark = pytest.mark.browser


def _thread(app: Flask) -> tuple[str, int]:
    with app.app_context():
        post = make_post(title="Coming off slowly", slug="slowly")
        for n in range(3):
            make_reply(post, body_source=f"Ordinary reply {n} about the weather.")
        found = make_reply(post, guest_name="Ada", body_source="Tapering took me **eight** weeks.")
        return post.slug, found.id


def test_search_from_header_shows_marked_hits_and_opens_the_reply(
    live_app: Flask, page: Page
) -> None:
    slug, reply_id = _thread(live_app)
    page.goto("/")
    page.get_by_role("search", name="Site").get_by_label("Search posts and replies").fill("taper")
    page.get_by_role("search", name="Site").get_by_role("button", name="Search").click()

    expect(page).to_have_url(re.compile(r"/search\?q=taper$"))
    expect(page.get_by_role("status")).to_contain_text("1 result for taper")
    expect(page.locator(".search-hit mark")).to_have_text("Tapering")
    page.get_by_role("link", name="Reply by Ada on “Coming off slowly”").click()

    expect(page).to_have_url(re.compile(rf"/t/{slug}/c/{reply_id}#c{reply_id}$"))
    expect(page.locator(f"#c{reply_id}")).to_contain_text("Tapering took me eight weeks.")


def test_search_in_this_thread_from_a_phone_fits_the_screen(
    live_app: Flask, phone_page: Page
) -> None:
    slug, _ = _thread(live_app)
    phone_page.goto(f"/t/{slug}")
    box = phone_page.get_by_role("search", name="This thread")
    box.get_by_label("Search in this thread").fill("weather")
    box.get_by_role("button", name="Search").click()

    expect(phone_page.get_by_role("status")).to_contain_text("3 results for weather")
    expect(phone_page.get_by_label("Only in this thread")).to_be_checked()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
