"""An author edits their own reply in a real browser, then finds the window closed; and deletes."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Reply
from tests.browser.conftest import PageFactory
from tests.browser.test_accessibility import _check_both_widths
from tests.factories import make_post
from tests.factories import make_reply

pytestmark = pytest.mark.browser


def _post_as_guest(page: Page, slug: str, text: str) -> None:
    page.goto(f"/t/{slug}")
    form = page.locator("#reply-form")
    form.get_by_label("Reply", exact=True).fill(text)
    form.get_by_label("Name", exact=True).fill("Ada")
    form.get_by_label("Email", exact=True).fill("ada@example.org")
    form.get_by_role("button", name="Post reply").click()
    expect(page.locator("li.reply", has_text=text)).to_be_visible()


def test_author_edits_within_window_sees_edited_then_is_refused_after_it(
    live_app: Flask, page: Page
) -> None:
    with live_app.app_context():
        post = make_post(title="Tapering notes")
        slug = post.slug
    _post_as_guest(page, slug, "I halved the dose in week two.")
    mine = page.locator("li.reply", has_text="I halved the dose")
    mine.get_by_role("link", name="Edit").click()  # opens in place, with JavaScript

    body = mine.get_by_label("Edit your reply")
    expect(body).to_have_value("I halved the dose in week two.")
    body.fill(" ")
    mine.get_by_role("button", name="Save").click()
    expect(mine.get_by_text("Please write something, or delete the reply instead.")).to_be_visible()
    body.fill("I halved the dose in week three.")
    mine.get_by_role("button", name="Save").click()

    expect(mine.locator(".reply__body")).to_have_text("I halved the dose in week three.")
    expect(mine.locator(".reply__edited")).to_have_text("edited")
    expect(mine.locator(".reply__edited")).to_have_attribute("title", re.compile(r"^Edited \w+ \d"))
    expect(mine.get_by_text("Your edit is saved.")).to_be_visible()
    page.reload()
    expect(
        page.locator("li.reply", has_text="week three").locator(".reply__edited")
    ).to_be_visible()

    with live_app.app_context():  # move the clock: the reply is now 20 minutes old
        reply = db.session.query(Reply).one()
        reply.created_at = reply.created_at - timedelta(minutes=20)
        reply_id = reply.id
        db.session.commit()
    page.reload()
    expect(page.locator("li.reply", has_text="week three")).to_be_visible()
    expect(page.get_by_role("link", name="Edit")).to_have_count(0)
    response = page.goto(f"/replies/{reply_id}/edit")
    assert response is not None and response.status == 403
    expect(page.get_by_text("only in the first 15 minutes after posting")).to_be_visible()


def test_author_deletes_answered_reply_leaving_placeholder_without_js(
    live_app: Flask, new_page: object
) -> None:
    page = new_page(java_script_enabled=False)  # type: ignore[operator]
    with live_app.app_context():
        post = make_post(title="Sleep")
        slug = post.slug
    _post_as_guest(page, slug, "Melatonin helped me.")
    with live_app.app_context():
        mine = db.session.query(Reply).one()
        make_reply(mine.post, mine, guest_name="Brigid", body_source="Which dose?")
    page.reload()
    page.locator("li.reply", has_text="Melatonin").first.get_by_role(
        "link", name="Delete"
    ).first.click()
    expect(page.get_by_role("heading", name="Delete your reply?")).to_be_visible()
    page.get_by_role("button", name="Delete the reply").click()
    expect(page.get_by_text("This reply was deleted by its author.")).to_be_visible()
    expect(page.get_by_text("Which dose?")).to_be_visible()
    expect(page.get_by_text("Melatonin helped me.")).to_have_count(0)


def test_author_edits_on_the_edit_page_without_js(live_app: Flask, new_page: object) -> None:
    page = new_page(java_script_enabled=False)  # type: ignore[operator]
    with live_app.app_context():
        slug = make_post(title="Walking").slug
    _post_as_guest(page, slug, "Ten minutes a day.")
    page.get_by_role("link", name="Edit").click()
    body = page.get_by_label("Your reply")
    expect(body).to_have_value("Ten minutes a day.")
    body.fill("")
    page.get_by_role("button", name="Save the edit").click()
    expect(page.get_by_text("Please write something, or delete the reply instead.")).to_be_visible()
    page.get_by_label("Your reply").fill("Twenty minutes a day.")
    page.get_by_role("button", name="Save the edit").click()
    edited = page.locator("li.reply", has_text="Twenty minutes a day.")
    expect(edited.locator(".reply__edited")).to_have_text("edited")
    expect(page.get_by_text("Your edit is saved.")).to_be_visible()


def test_edit_and_delete_pages_pass_axe_at_both_widths(
    live_app: Flask, new_page: PageFactory
) -> None:
    with live_app.app_context():
        slug = make_post(title="Sleep hygiene").slug

    def inline_edit(page: Page) -> None:
        width = page.viewport_size["width"] if page.viewport_size else 0
        _post_as_guest(page, slug, f"Dark room, cool air ({width}).")
        mine = page.locator("li.reply", has_text=f"({width})")
        mine.get_by_role("link", name="Edit").click()
        mine.get_by_label("Edit your reply").fill("")
        mine.get_by_role("button", name="Save").click()
        expect(mine.get_by_text("Please write something")).to_be_visible()

    def edit_page(page: Page) -> None:
        page.goto(page.locator("li.reply").get_by_role("link", name="Edit").get_attribute("href"))
        expect(page.get_by_role("heading", name="Edit your reply")).to_be_visible()

    def delete_page(page: Page) -> None:
        page.go_back()
        page.goto(page.locator("li.reply").get_by_role("link", name="Delete").get_attribute("href"))
        expect(page.get_by_role("heading", name="Delete your reply?")).to_be_visible()

    _check_both_widths(
        new_page,
        [("inline edit", inline_edit), ("edit page", edit_page), ("delete page", delete_page)],
    )
