"""What readers do on a thread page, in a real browser: reply, answer a reply, like, collapse,
preview, page through replies, and the same without JavaScript or on a phone."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from playwright.sync_api import Locator
from playwright.sync_api import Page
from playwright.sync_api import expect

from tests.factories import make_post
from tests.factories import make_reply

pytestmark = pytest.mark.browser

GUEST_NAME = "Ada Lovelace"
GUEST_EMAIL = "ada@example.org"


def _mark_document(page: Page) -> None:
    """Tag the loaded document; the tag survives in-page updates but not a navigation."""
    page.evaluate("window.__porchSameDocument = true")


def _still_same_document(page: Page) -> bool:
    return page.evaluate("window.__porchSameDocument === true")


def _without_hash(url: str) -> str:
    return url.split("#", 1)[0]


def _fill_guest_reply(form: Locator, text: str) -> None:
    form.get_by_label("Reply", exact=True).fill(text)
    form.get_by_label("Name", exact=True).fill(GUEST_NAME)
    form.get_by_label("Email", exact=True).fill(GUEST_EMAIL)


def _top_replies(page: Page) -> Locator:
    return page.locator("[data-top-replies] > li.reply")


def test_guest_reply_appears_in_the_thread_without_leaving_the_page(
    live_app: Flask, page: Page
) -> None:
    with live_app.app_context():
        post = make_post(title="Sourdough in winter")
        make_reply(post, guest_name="Brigid", body_source="First!")
        slug = post.slug
    page.goto(f"/t/{slug}")
    _mark_document(page)
    before = page.url

    form = page.locator("#reply-form")
    _fill_guest_reply(form, "Keep the starter somewhere **warm**.")
    form.get_by_role("button", name="Post reply").click()

    new_reply = _top_replies(page).filter(has_text="Keep the starter somewhere warm.")
    expect(new_reply).to_be_visible()
    expect(new_reply.locator("strong", has_text="warm")).to_be_visible()
    expect(new_reply.locator(".reply__author")).to_have_text(GUEST_NAME)
    expect(page).to_have_url(re.compile(r"#c\d+$"))
    assert _without_hash(page.url) == before
    assert _still_same_document(page)
    expect(form.get_by_label("Reply", exact=True)).to_have_value("")

    page.reload()
    expect(_top_replies(page)).to_have_count(2)
    expect(_top_replies(page).nth(1)).to_contain_text("Keep the starter somewhere warm.")
    expect(_top_replies(page).nth(1).locator(".reply__author")).to_have_text(GUEST_NAME)


def test_new_reply_is_numbered_after_the_existing_ones(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        post = make_post()
        for _ in range(3):
            make_reply(post)
        slug = post.slug
    page.goto(f"/t/{slug}")
    form = page.locator("#reply-form")
    _fill_guest_reply(form, "The fourth reply")
    form.get_by_role("button", name="Post reply").click()

    new_reply = _top_replies(page).filter(has_text="The fourth reply")
    expect(new_reply).to_be_visible()
    # After a reload the server numbers it 4.; the inserted one should say the same.
    assert new_reply.locator(".reply__number").first.inner_text() == "4."


def test_reply_to_a_reply_opens_the_form_under_it_and_nests_the_answer(
    live_app: Flask, page: Page
) -> None:
    with live_app.app_context():
        post = make_post()
        parent = make_reply(post, guest_name="Brigid", body_source="Rye or wheat?")
        make_reply(post, guest_name="Cormac", body_source="Spelt, always.")
        slug, parent_id = post.slug, parent.id
    page.goto(f"/t/{slug}")
    _mark_document(page)
    parent_item = page.locator(f"li#c{parent_id}")

    page.get_by_role("link", name="Reply to Brigid").click()

    form = parent_item.locator("#reply-form")
    expect(form).to_be_visible()
    expect(parent_item.get_by_role("heading", name="Reply to Brigid")).to_be_visible()
    expect(form.get_by_label("Reply", exact=True)).to_be_focused()
    assert page.url.endswith(f"/t/{slug}"), "the link should not have been followed"

    _fill_guest_reply(form, "Rye, for the flavour.")
    form.get_by_role("button", name="Post reply").click()

    answer = parent_item.locator("li.reply", has_text="Rye, for the flavour.")
    expect(answer).to_be_visible()
    expect(answer).to_have_attribute("data-depth", "1")
    expect(page).to_have_url(re.compile(r"#c\d+$"))
    assert _still_same_document(page)
    # The form goes back to the end of the page, ready for a top-level reply.
    expect(parent_item.locator("#reply-form")).to_have_count(0)
    expect(page.get_by_role("heading", name="Leave a reply")).to_be_visible()

    page.reload()
    nested = page.locator(f"li#c{parent_id} li.reply", has_text="Rye, for the flavour.")
    expect(nested).to_be_visible()


def test_cancel_puts_the_reply_form_back_as_a_top_level_reply(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        post = make_post()
        parent = make_reply(post, guest_name="Brigid")
        slug, parent_id = post.slug, parent.id
    page.goto(f"/t/{slug}")
    page.get_by_role("link", name="Reply to Brigid").click()
    expect(page.locator(f"li#c{parent_id} #reply-form")).to_be_visible()

    page.get_by_role("button", name="Cancel reply").click()

    expect(page.locator(f"li#c{parent_id} #reply-form")).to_have_count(0)
    expect(page.get_by_role("heading", name="Leave a reply")).to_be_visible()
    form = page.locator("#reply-form")
    _fill_guest_reply(form, "A reply to the post itself")
    form.get_by_role("button", name="Post reply").click()
    expect(_top_replies(page).filter(has_text="A reply to the post itself")).to_be_visible()


def test_like_and_unlike_without_reloading(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        post = make_post()
        reply = make_reply(post, guest_name="Brigid")
        slug, reply_id = post.slug, reply.id
    page.goto(f"/t/{slug}")
    _mark_document(page)
    item = page.locator(f"li#c{reply_id}")
    count = item.locator("[data-like-count]")

    item.get_by_role("button", name="Like reply by Brigid", exact=True).click()
    unlike = item.get_by_role("button", name="Unlike reply by Brigid", exact=True)
    expect(unlike).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text("Liked by 1 person")
    assert _still_same_document(page)

    page.reload()
    expect(unlike).to_have_attribute("aria-pressed", "true")
    expect(count).to_have_text("Liked by 1 person")

    _mark_document(page)
    unlike.click()
    like = item.get_by_role("button", name="Like reply by Brigid", exact=True)
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(count).to_have_text("")
    assert _still_same_document(page)

    page.reload()
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(count).to_have_text("")


def test_hide_and_show_the_replies_under_a_reply(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        post = make_post()
        parent = make_reply(post, guest_name="Brigid")
        child = make_reply(post, parent, body_source="A child reply")
        make_reply(post, child, body_source="A grandchild reply")
        slug, parent_id = post.slug, parent.id
    page.goto(f"/t/{slug}")
    branch = page.locator(f"li#c{parent_id} > details.branch")
    child_text = page.get_by_text("A child reply")
    grandchild_text = page.get_by_text("A grandchild reply")
    expect(child_text).to_be_visible()

    branch.get_by_text("Hide replies").first.click()

    expect(child_text).to_be_hidden()
    expect(grandchild_text).to_be_hidden()
    show = branch.get_by_text("Show 2 replies")
    expect(show).to_be_visible()
    expect(branch.get_by_text("Hide replies").first).to_be_hidden()

    show.click()

    expect(child_text).to_be_visible()
    expect(grandchild_text).to_be_visible()
    expect(show).to_be_hidden()


def test_empty_reply_shows_the_problems_beside_the_fields_and_posts_nothing(
    live_app: Flask, page: Page
) -> None:
    with live_app.app_context():
        slug = make_post().slug
    page.goto(f"/t/{slug}")
    _mark_document(page)
    form = page.locator("#reply-form")

    form.get_by_role("button", name="Post reply").click()

    body = form.get_by_label("Reply", exact=True)
    expect(form.locator("#body-errors")).to_have_text("Please write something before posting.")
    expect(body).to_have_attribute("aria-invalid", "true")
    expect(body).to_have_attribute("aria-describedby", re.compile(r"\bbody-errors\b"))
    expect(body).to_be_focused()
    # The message sits right after the field it is about.
    expect(form.locator("textarea + #body-errors")).to_be_visible()
    expect(form.locator("#name-errors")).to_have_text("Please give a name to show with your reply.")
    expect(form.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#email-errors")).to_be_visible()
    expect(_top_replies(page)).to_have_count(0)
    assert _still_same_document(page)

    # Correcting the form clears the old messages.
    _fill_guest_reply(form, "Now with words")
    form.get_by_role("button", name="Post reply").click()
    expect(_top_replies(page).filter(has_text="Now with words")).to_be_visible()
    expect(form.locator(".field-errors")).to_have_count(0)

    page.reload()
    expect(_top_replies(page)).to_have_count(1)


def test_preview_renders_the_reply_on_the_page_without_posting_it(
    live_app: Flask, page: Page
) -> None:
    with live_app.app_context():
        slug = make_post().slug
    page.goto(f"/t/{slug}")
    _mark_document(page)
    form = page.locator("#reply-form")
    _fill_guest_reply(form, "Some **bold** words and a list:\n\n- flour\n- water")

    form.get_by_role("button", name="Preview").click()

    preview = form.locator("[data-preview]")
    expect(preview).to_be_visible()
    expect(preview.locator("strong")).to_have_text("bold")
    expect(preview.get_by_role("listitem")).to_have_text(["flour", "water"])
    expect(form.get_by_label("Reply", exact=True)).to_have_value(
        "Some **bold** words and a list:\n\n- flour\n- water"
    )
    expect(_top_replies(page)).to_have_count(0)
    assert _still_same_document(page)

    page.reload()
    expect(page.get_by_text("No replies yet")).to_be_visible()
    expect(_top_replies(page)).to_have_count(0)


def test_a_website_without_scheme_is_explained_once(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        slug = make_post().slug
    page.goto(f"/t/{slug}")
    form = page.locator("#reply-form")
    _fill_guest_reply(form, "My site is below")
    form.get_by_label("Website").fill("example.org")

    form.get_by_role("button", name="Post reply").click()

    expect(form.get_by_label("Website")).to_have_attribute("aria-invalid", "true")
    expect(form.locator("#url-errors")).to_be_visible()
    assert form.locator("#url-errors > li").all_inner_texts() == [
        "Enter a web address starting with http:// or https://."
    ]
    expect(_top_replies(page)).to_have_count(0)


@pytest.mark.app_config(REPLIES_PER_PAGE=3)
def test_load_more_appends_the_next_replies_in_place(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        post = make_post()
        roots = [make_reply(post, body_source=f"Top-level reply {n}") for n in range(1, 8)]
        make_reply(post, roots[4], body_source="An answer to reply 5")
        slug = post.slug
    page.goto(f"/t/{slug}")
    _mark_document(page)
    more = page.get_by_role("link", name="Load more replies")
    expect(_top_replies(page)).to_have_count(3)

    more.click()
    expect(_top_replies(page)).to_have_count(6)
    expect(_top_replies(page).locator(":scope > .reply__card .reply__body")).to_have_text(
        [f"Top-level reply {n}" for n in range(1, 7)]
    )
    expect(_top_replies(page).nth(4).get_by_text("An answer to reply 5")).to_be_visible()
    expect(_top_replies(page).nth(3).locator(".reply__number").first).to_have_text("4.")

    more.click()
    expect(_top_replies(page)).to_have_count(7)
    expect(_top_replies(page).nth(6)).to_contain_text("Top-level reply 7")
    expect(more).to_have_count(0)
    assert page.url.endswith(f"/t/{slug}")
    assert _still_same_document(page)


def test_without_javascript_replying_to_a_reply_uses_its_own_page(
    live_app: Flask, no_js_page: Page
) -> None:
    page = no_js_page
    with live_app.app_context():
        post = make_post()
        parent = make_reply(post, guest_name="Brigid", body_source="Rye or wheat?")
        slug, parent_id = post.slug, parent.id
    page.goto(f"/t/{slug}")

    page.get_by_role("link", name="Reply to Brigid").click()

    expect(page).to_have_url(re.compile(rf"/t/{slug}/reply\?parent_id={parent_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to Brigid")
    expect(page.locator("blockquote")).to_contain_text("Rye or wheat?")
    form = page.locator("#reply-form")
    _fill_guest_reply(form, "Wheat, without JavaScript.")
    form.get_by_role("button", name="Post reply").click()

    expect(page).to_have_url(re.compile(rf"/t/{slug}#c\d+$"))
    new_id = page.url.rsplit("#c", 1)[1]
    answer = page.locator(f"li#c{parent_id} li#c{new_id}")
    expect(answer).to_contain_text("Wheat, without JavaScript.")
    expect(answer).to_be_in_viewport()


def test_without_javascript_an_empty_reply_comes_back_with_messages(
    live_app: Flask, no_js_page: Page
) -> None:
    page = no_js_page
    with live_app.app_context():
        post = make_post()
        parent = make_reply(post, guest_name="Brigid")
        slug, parent_id = post.slug, parent.id
    page.goto(f"/t/{slug}/reply?parent_id={parent_id}")
    form = page.locator("#reply-form")
    form.get_by_label("Name", exact=True).fill(GUEST_NAME)

    form.get_by_role("button", name="Post reply").click()

    expect(page.locator("#body-errors")).to_have_text("Please write something before posting.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply to Brigid")
    expect(page.locator("#reply-form").get_by_label("Name", exact=True)).to_have_value(GUEST_NAME)


def test_deep_thread_fits_a_phone_screen(live_app: Flask, phone_page: Page) -> None:
    page = phone_page
    with live_app.app_context():
        post = make_post(title="A long conversation about starter hydration and flour")
        reply = make_reply(post, guest_name="Bartholomew Featherstonehaugh")
        for depth in range(1, 8):
            reply = make_reply(
                post,
                reply,
                guest_name=f"Maximiliana Worthington-{depth}",
                body_source=(
                    f"Level {depth}: see https://example.org/recipes/sourdough/"
                    "hydration-tables-for-every-flour-we-have-ever-tried?with=all&the=parameters "
                    "and antidisestablishmentarianism-level-hyphenated-compound-words."
                ),
            )
        slug = post.slug
    page.goto(f"/t/{slug}")
    expect(page.get_by_text("Level 7:")).to_be_visible()
    expect(page.locator('li.reply[data-depth="4"]')).to_have_count(4)  # capped at depth 5

    assert page.evaluate("document.documentElement.scrollWidth") <= 375

    # Still true with the reply form opened under the deepest reply.
    page.get_by_role("link", name="Reply to Maximiliana Worthington-7").click()
    expect(page.locator("#reply-form")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


# ---- Regressions: each of these once failed ----------------------------------------------


def test_first_reply_replaces_the_no_replies_note(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        slug = make_post(title="Quiet post").slug
    page.goto(f"/t/{slug}")
    expect(page.get_by_text("No replies yet")).to_be_visible()
    form = page.locator("#reply-form")
    _fill_guest_reply(form, "Breaking the silence")
    form.get_by_role("button", name="Post reply").click()
    expect(_top_replies(page).filter(has_text="Breaking the silence")).to_be_visible()

    assert not page.get_by_text("No replies yet").is_visible()
    assert page.locator("#replies-heading").inner_text() == "1 reply on Quiet post"


def test_reply_under_a_collapsed_branch_is_shown(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        post = make_post()
        parent = make_reply(post, guest_name="Brigid")
        make_reply(post, parent, body_source="An earlier answer")
        slug = post.slug
    page.goto(f"/t/{slug}")
    page.get_by_text("Hide replies").click()
    expect(page.get_by_text("An earlier answer")).to_be_hidden()
    page.get_by_role("link", name="Reply to Brigid").click()
    form = page.locator("#reply-form")
    _fill_guest_reply(form, "Answering after collapsing")
    form.get_by_role("button", name="Post reply").click()
    expect(page).to_have_url(re.compile(r"#c\d+$"))  # the reply was stored and inserted

    assert page.get_by_text("Answering after collapsing").is_visible()


def test_reply_at_the_deepest_level_says_whom_it_answers(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        post = make_post()
        reply = make_reply(post, guest_name="Root")
        for depth in range(1, 5):  # depth 4 is the last level shown (MAX_DEPTH = 5)
            reply = make_reply(post, reply, guest_name=f"Level {depth}")
        slug = post.slug
    page.goto(f"/t/{slug}")
    page.get_by_role("link", name="Reply to Level 4").click()
    form = page.locator("#reply-form")
    _fill_guest_reply(form, "Too deep to indent")
    form.get_by_role("button", name="Post reply").click()
    answer = page.locator("li.reply", has_text="Too deep to indent").last
    expect(answer).to_be_visible()

    assert "in reply to Level 4" in answer.locator(".reply__who").inner_text()
    page.reload()  # what the server shows, for comparison
    expect(answer.locator(".reply__to")).to_have_text("in reply to Level 4")


@pytest.mark.app_config(REPLIES_PER_PAGE=3)
def test_reply_posted_on_a_paged_thread_is_not_shown_twice(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        post = make_post()
        for n in range(1, 5):
            make_reply(post, body_source=f"Top-level reply {n}")
        slug = post.slug
    page.goto(f"/t/{slug}")
    form = page.locator("#reply-form")
    _fill_guest_reply(form, "My late reply")
    form.get_by_role("button", name="Post reply").click()
    # It belongs on page 2, which is not loaded here: the browser goes to it, not a copy on page 1.
    expect(page).to_have_url(re.compile(r"[?&]page=2#c\d+$"))
    new_id = page.url.rsplit("#c", 1)[1]
    expect(page.locator(f"li#c{new_id}")).to_contain_text("My late reply")
    assert page.locator(f"li#c{new_id}").count() == 1
    expect(page.get_by_role("link", name="Earlier replies")).to_be_visible()
