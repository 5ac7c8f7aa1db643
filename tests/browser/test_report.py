"""Reporting a reply in a real browser: the inline form, and the reply hidden at the threshold."""

from __future__ import annotations

from dataclasses import replace

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.extensions import db
from forum.services import accounts
from forum.services.site_settings import moderation_settings
from forum.services.site_settings import store_moderation_settings
from tests.browser.conftest import PageFactory
from tests.factories import make_post
from tests.factories import make_reply

PASSWORD = "reporting responsibly"

pytestmark = pytest.mark.browser

BAD_ADVICE = "Mix bleach and ammonia for a stronger cleaner."
THANKS = "Thanks — a moderator will look at it."


def _report_inline(page: Page, slug: str, reason: str) -> None:
    """Open the thread, report the bad reply with the inline form and wait for the thanks."""
    page.goto(f"/t/{slug}")
    page.evaluate("window.__porchSameDocument = true")
    reply = page.locator("li.reply").filter(has_text=BAD_ADVICE)
    reply.get_by_role("link", name="Report reply by Trent").click()
    form = reply.locator("form[data-report-form]")
    expect(form.get_by_role("group", name="Why are you reporting this reply?")).to_be_visible()
    expect(form.get_by_label("Spam")).to_be_focused()  # the first reason takes the focus
    form.get_by_role("button", name="Send report").click()  # no reason chosen yet
    expect(form.get_by_role("alert")).to_have_text(
        "Please choose why you are reporting this reply."
    )
    form.get_by_label(reason).check()
    form.get_by_label("Anything the moderators should know? (optional)").fill("Toxic gas!")
    form.get_by_role("button", name="Send report").click()
    expect(reply.get_by_role("status")).to_have_text(THANKS)
    expect(reply.get_by_role("link", name="Report reply by Trent")).to_have_count(0)
    assert page.evaluate("window.__porchSameDocument === true")  # no page load


def test_reports_from_a_guest_and_a_member_hide_the_reply_from_a_third(
    live_app: Flask, new_page: PageFactory
) -> None:
    with live_app.app_context():
        store_moderation_settings(replace(moderation_settings(), flag_threshold=2))
        db.session.commit()
        post = make_post(title="Cleaning tips")
        make_reply(post, guest_name="Trent", body_source=BAD_ADVICE)
        make_reply(post, guest_name="Kind Kim", body_source="Vinegar works well on glass.")
        slug = post.slug
        accounts.register_local(
            email="rae@example.org", display_name="Rae", password=PASSWORD, min_length=10
        )

    _report_inline(new_page(), slug, "Spam")
    # Guests count once per address (all of these browsers share 127.0.0.1), so the second,
    # independent report comes from a member.
    member = new_page()
    member.goto("/account/login")
    member.get_by_label("Email", exact=True).fill("rae@example.org")
    member.get_by_label("Password", exact=True).fill(PASSWORD)
    member.get_by_role("button", name="Sign in", exact=True).click()
    expect(member.get_by_role("link", name="Rae")).to_be_visible()
    _report_inline(member, slug, "Harmful advice")

    third = new_page()
    third.goto(f"/t/{slug}")
    expect(third.locator("li.reply")).to_have_count(1)
    expect(third.locator("li.reply")).to_contain_text("Vinegar works well on glass.")
    expect(third.get_by_text(BAD_ADVICE)).to_have_count(0)
