"""Notifications in a real browser: a mention picked from the suggestions reaches its member,
who sees the unread count, opens the notifications and marks them all read."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.extensions import db
from forum.services import accounts
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.conftest import PageFactory
from tests.browser.test_accessibility import _blocking_violations
from tests.browser.test_accessibility import _report
from tests.factories import make_post
from tests.factories import make_reply

pytestmark = pytest.mark.browser

PASSWORD = "a long enough password"


def _member(email: str, name: str) -> int:
    user = accounts.register_local(email=email, display_name=name, password=PASSWORD, min_length=10)
    db.session.commit()
    return user.id


def _sign_in(page: Page, email: str, name: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("link", name=name)).to_be_visible()


def _thread(live_app: Flask) -> str:
    with live_app.app_context():
        ada = _member("ada@example.org", "Ada Lovelace")
        _member("bob@example.org", "Bob Baker")
        post = make_post(title="Tapering slowly")
        make_reply(post, author_id=ada, body_source="Ten percent a month worked for me.")
        make_reply(post, guest_name="Cleo", body_source="Same here.")
        return post.slug


def test_mention_from_suggestions_reaches_member_who_marks_all_read(
    live_app: Flask, new_page: PageFactory
) -> None:
    slug = _thread(live_app)
    bob = new_page()
    _sign_in(bob, "bob@example.org", "Bob Baker")
    bob.goto(f"/t/{slug}")
    box = bob.locator("#reply-form").get_by_label("Reply", exact=True)
    box.press_sequentially("Thanks @")
    suggestions = bob.get_by_role("listbox", name="People in this thread")
    expect(suggestions.get_by_role("option")).to_have_text(["Ada Lovelace", "Cleo"])
    assert not (violations := _blocking_violations(bob, "mention list")), _report(violations)
    box.press_sequentially("lo")
    expect(suggestions.get_by_role("option")).to_have_text(["Ada Lovelace"])
    expect(box).to_have_attribute(
        "aria-activedescendant", suggestions.get_by_role("option").get_attribute("id") or ""
    )
    box.press("Enter")
    expect(suggestions).to_be_hidden()
    box.press_sequentially("that helps.")
    expect(box).to_have_value("Thanks @AdaLovelace that helps.")
    bob.locator("#reply-form").get_by_role("button", name="Post reply").click()
    expect(bob.locator(".reply__body", has_text="that helps.")).to_be_visible()

    ada = new_page()
    _sign_in(ada, "ada@example.org", "Ada Lovelace")
    link = ada.get_by_role("link", name="Notifications 1 unread")
    expect(link).to_be_visible()
    link.click()
    expect(ada.get_by_role("heading", name="Notifications")).to_be_visible()
    expect(ada.get_by_role("link", name="Bob Baker mentioned you")).to_be_visible()
    ada.get_by_role("button", name="Mark all as read").click()
    expect(ada.get_by_text("Marked 1 notification as read.")).to_be_visible()
    expect(ada.get_by_role("link", name="Notifications", exact=True)).to_be_visible()
    expect(ada.get_by_text("You are all caught up.")).to_be_visible()


def test_escape_closes_suggestions_and_keeps_the_text(
    live_app: Flask, new_page: PageFactory
) -> None:
    slug = _thread(live_app)
    bob = new_page()
    _sign_in(bob, "bob@example.org", "Bob Baker")
    bob.goto(f"/t/{slug}")
    box = bob.locator("#reply-form").get_by_label("Reply", exact=True)
    box.press_sequentially("@")
    suggestions = bob.get_by_role("listbox")
    expect(suggestions.get_by_role("option")).to_have_count(2)
    box.press("ArrowDown")
    expect(suggestions.get_by_role("option", name="Cleo")).to_have_attribute(
        "aria-selected", "true"
    )
    box.press("Escape")
    expect(suggestions).to_be_hidden()
    expect(box).to_have_value("@")


def test_notifications_page_fits_a_phone(live_app: Flask, new_page: PageFactory) -> None:
    slug = _thread(live_app)
    bob = new_page()
    _sign_in(bob, "bob@example.org", "Bob Baker")
    bob.goto(f"/t/{slug}")
    box = bob.locator("#reply-form").get_by_label("Reply", exact=True)
    box.fill("A thought for @AdaLovelace with a long unbroken word: " + "x" * 80)
    bob.locator("#reply-form").get_by_role("button", name="Post reply").click()
    expect(bob.locator(".reply__body", has_text="A thought")).to_be_visible()
    ada = new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    _sign_in(ada, "ada@example.org", "Ada Lovelace")
    ada.goto("/notifications")
    expect(ada.get_by_role("link", name="Bob Baker mentioned you")).to_be_visible()
    assert ada.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    assert not (violations := _blocking_violations(ada, "notifications")), _report(violations)
