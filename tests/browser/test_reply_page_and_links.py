"""The stand-alone reply page with JavaScript on, and "Link" under replies on later pages."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Reply
from tests.factories import make_post
from tests.factories import make_reply

pytestmark = pytest.mark.browser

LONG_TEXT = "A reply long enough to take some room on the page. " * 12


def _reply_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Reply.id))) or 0


def _fill_and_post(page: Page, text: str, *, double: bool = False) -> None:
    form = page.locator("#reply-form")
    form.get_by_label("Reply", exact=True).fill(text)
    form.get_by_label("Name", exact=True).fill("Ada Lovelace")
    form.get_by_label("Email", exact=True).fill("ada@example.org")
    button = form.get_by_role("button", name="Post reply")
    if double:
        button.dblclick()
    else:
        button.click()


@pytest.mark.app_config(REPLIES_PER_PAGE=2)
def test_answer_posted_from_the_reply_page_lands_on_it_in_the_thread(
    live_app: Flask, page: Page
) -> None:
    with live_app.app_context():
        post = make_post()
        for _ in range(4):
            make_reply(post, body_source=LONG_TEXT)
        parent = make_reply(post, guest_name="Brigid", body_source="Rye or wheat?")
        slug, parent_id = post.slug, parent.id
    page.goto(f"/t/{slug}/reply?parent_id={parent_id}")  # "Reply" opened in a new tab
    _fill_and_post(page, "Spelt, always.")

    expect(page).to_have_url(re.compile(rf"/t/{slug}\?page=3#c\d+$"))
    new_id = page.url.rsplit("#c", 1)[1]
    answer = page.locator(f"#c{parent_id} li#c{new_id}")
    expect(answer).to_contain_text("Spelt, always.")
    expect(answer).to_be_in_viewport()
    assert _reply_count(live_app) == 6


def test_pressing_post_twice_on_the_reply_page_posts_once(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        slug = make_post().slug
    page.goto(f"/t/{slug}/reply")
    _fill_and_post(page, "Only once, please.", double=True)

    expect(page).to_have_url(re.compile(rf"/t/{slug}#c\d+$"))
    expect(page.locator("li.reply")).to_have_count(1)
    expect(page.locator("li.reply")).to_contain_text("Only once, please.")
    expect(page.locator(".form-errors")).to_have_count(0)
    assert _reply_count(live_app) == 1


def test_reply_page_keeps_the_text_and_explains_a_refusal(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        slug = make_post().slug
    page.goto(f"/t/{slug}/reply")
    page.locator("#reply-form").get_by_label("Reply", exact=True).fill("No name given")
    page.locator("#reply-form").get_by_role("button", name="Post reply").click()

    expect(page.locator(".field-errors").first).to_be_visible()
    expect(page.get_by_label("Reply", exact=True)).to_have_value("No name given")
    expect(page.get_by_role("button", name="Post reply")).to_be_enabled()
    assert _reply_count(live_app) == 0


@pytest.mark.app_config(REPLIES_PER_PAGE=2)
def test_link_under_a_reply_on_page_three_lands_on_that_reply(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        post = make_post()
        roots = [make_reply(post, body_source=f"Reply {n}. {LONG_TEXT}") for n in range(6)]
        answer = make_reply(post, roots[5], body_source=f"An answer. {LONG_TEXT}")
        slug, last_id, answer_id = post.slug, roots[5].id, answer.id

    page.goto(f"/t/{slug}?page=3")
    href = page.locator(f"#c{answer_id} .reply__link").first.get_attribute("href")
    assert href == f"/t/{slug}?page=3#c{answer_id}"
    page.goto("/")  # follow it from elsewhere, as someone the link was sent to would
    page.goto(href)
    expect(page.locator(f"#c{answer_id} > .reply__card")).to_be_in_viewport()

    page.goto(f"/t/{slug}?sort=newest")  # the same reply, shown first under another sort
    page.locator(f"#c{last_id} > .reply__card .reply__link").click()
    expect(page).to_have_url(re.compile(rf"/t/{slug}\?page=3#c{last_id}$"))
    expect(page.locator(f"#c{last_id} > .reply__card")).to_be_in_viewport()
    expect(page.locator(f"#c{last_id} .reply__number").first).to_have_text("6.")
