"""A thread in the right-to-left pseudo-locale mirrors: indentation and guide lines on the right,
nothing wider than the screen; and a right-to-left name stays whole inside a left-to-right page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.browser.conftest import DESKTOP_VIEWPORT
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.conftest import PageFactory
from tests.factories import make_post
from tests.factories import make_reply

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("PORCH_SCREENSHOTS", "/tmp/i18n-core"))
ARABIC_NAME = "سلمى الحداد"


@pytest.fixture
def live_app_settings() -> dict[str, Any]:
    return {"I18N_PSEUDO_RTL": True}


def _thread(app: Flask) -> str:
    """Three levels of replies, one by a right-to-left name; returns the thread's slug."""
    with app.app_context():
        post = make_post(title="Coming off the tablets, part three")
        top = make_reply(post, body_source="The first days were the hardest. " * 4)
        middle = make_reply(post, top, guest_name=ARABIC_NAME, body_source="مرحبا، شكرا لك " * 6)
        make_reply(post, middle, body_source="Same here, and the nights were worse. " * 3)
        make_reply(post, body_source="A second top-level reply.")
        return post.slug


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


@pytest.mark.parametrize("viewport", [DESKTOP_VIEWPORT, PHONE_VIEWPORT], ids=["1280", "375"])
def test_thread_in_the_rtl_locale_indents_from_the_right_and_fits(
    live_app: Flask, live_server: str, new_page: PageFactory, viewport: dict[str, int]
) -> None:
    slug = _thread(live_app)
    page = new_page(viewport=viewport, extra_http_headers={"Accept-Language": "ar"})
    page.goto(f"{live_server}/t/{slug}")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    # The branch's guide line is its right-hand border, and each level starts further left.
    branch = page.locator("details.branch").first
    borders = branch.evaluate(
        "el => [getComputedStyle(el).borderRightWidth, getComputedStyle(el).borderLeftWidth]"
    )
    assert borders == ["2px", "0px"]
    top_card = _box(page, ".replies--top > li > .reply__card")
    nested_card = _box(page, ".replies--nested > li > .reply__card")
    deeper_card = _box(page, ".replies--nested .replies--nested > li > .reply__card")
    top_right = top_card["x"] + top_card["width"]
    nested_right = nested_card["x"] + nested_card["width"]
    deeper_right = deeper_card["x"] + deeper_card["width"]
    assert top_right > nested_right > deeper_right  # indentation grows from the right
    guide = _box(page, "details.branch")
    assert guide["x"] + guide["width"] > nested_right  # the guide line sits right of its replies
    # The avatar is at the card's right, its text to its left.
    avatar = _box(page, ".replies--top .reply__avatar")
    body = _box(page, ".replies--top .reply__body")
    assert avatar["x"] > body["x"]
    # The post's English text keeps its own direction: its full stops stay at the sentence end.
    post_body = page.locator(".post__body p").first
    assert post_body.evaluate("el => getComputedStyle(el).direction") == "ltr"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"rtl-thread-{viewport['width']}.png"), full_page=True)


def test_right_to_left_name_and_text_keep_their_direction_in_an_english_page(
    live_app: Flask, live_server: str, page: Page
) -> None:
    slug = _thread(live_app)
    page.set_extra_http_headers({"Accept-Language": "en"})
    page.goto(f"{live_server}/t/{slug}")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    author = page.locator(".reply__author", has_text=ARABIC_NAME)
    expect(author).to_have_attribute("dir", "auto")
    assert author.evaluate("el => getComputedStyle(el).direction") == "rtl"
    body = page.locator(".reply__body", has_text="مرحبا")
    assert body.evaluate("el => getComputedStyle(el).direction") == "rtl"
    english = page.locator(".reply__body", has_text="The first days")
    assert english.evaluate("el => getComputedStyle(el).direction") == "ltr"
    # The inline reply form names the author whole: "Reply to <name>".
    page.locator(f'[data-reply-name="{ARABIC_NAME}"]').click()
    expect(page.locator("[data-reply-heading]")).to_have_text(f"Reply to {ARABIC_NAME}")
    page.screenshot(path=str(SHOTS / "ltr-thread-with-rtl-name.png"), full_page=True)


def test_scripts_speak_the_pages_language(
    live_app: Flask, live_server: str, new_page: PageFactory
) -> None:
    slug = _thread(live_app)
    page = new_page(extra_http_headers={"Accept-Language": "de"})
    page.goto(f"{live_server}/t/{slug}")
    page.wait_for_load_state("networkidle")  # the catalogue static/i18n/de.json is in
    page.locator("[data-report]").first.click()
    expect(page.locator("[data-report-form] legend")).to_have_text(
        "Warum meldest du diese Antwort?"
    )
    page.locator("[data-reply-to]").first.click()
    expect(page.locator("[data-reply-heading]")).to_contain_text("Antwort an")
