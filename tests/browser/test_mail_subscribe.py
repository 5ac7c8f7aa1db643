"""A guest subscribes to a thread, confirms from the mail, hears of a reply, and unsubscribes."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.extensions import db
from forum.mail import plain_text
from forum.mail import read_outbox
from forum.models import Subscription
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.conftest import PageFactory
from tests.factories import make_post

pytestmark = pytest.mark.browser

SHOTS = os.environ.get("PORCH_SCREENSHOT_DIR")  # set it to keep screenshots of the pages
READER = "reader@example.org"


@pytest.fixture
def live_app_settings(tmp_path: Path) -> dict[str, Any]:
    return {"MAIL_DIR": str(tmp_path / "mail")}


def _mail_to(folder: Path, address: str) -> list[Any]:
    return [mail for mail in read_outbox(folder) if mail["To"] == address]


def _link(mail: Any, path: str) -> str:
    found = re.search(rf"https?://\S+{path}\S+", plain_text(mail))
    assert found, plain_text(mail)
    return found.group(0)


def _reply(page: Page, slug: str, name: str, email: str, text: str, subscribe: bool) -> None:
    page.goto(f"/t/{slug}")
    form = page.locator("section.reply-form form").last
    form.get_by_label("Reply", exact=True).fill(text)
    form.get_by_label("Name", exact=True).fill(name)
    form.get_by_label("Email", exact=True).fill(email)
    if subscribe:
        form.get_by_label("Notify me of new replies in this thread").check()
    form.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text(text)).to_be_visible()


def test_guest_subscribes_confirms_gets_reply_mail_and_unsubscribes(
    live_app: Flask, new_page: PageFactory, tmp_path: Path
) -> None:
    mail_dir = tmp_path / "mail"
    with live_app.app_context():
        slug = make_post(title="A five-part series, part 3").slug
    reader = new_page()
    _reply(reader, slug, "Reader", READER, "Looking forward to part 4", subscribe=True)
    [confirm] = _mail_to(mail_dir, READER)
    reader.goto(_link(confirm, "/account/confirm-email/"))
    reader.get_by_role("button", name="Confirm my address").click()
    expect(reader.get_by_text(f"{READER} is confirmed")).to_be_visible()

    _reply(new_page(), slug, "Second", "second@example.org", "Part 4 is out soon", subscribe=False)
    mails = _mail_to(mail_dir, READER)
    assert len(mails) == 2 and "Part 4 is out soon" in plain_text(mails[1])
    assert mails[1]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    phone = new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    phone.goto(_link(mails[1], "/mail/unsubscribe/"))
    expect(phone.get_by_text("New replies in “A five-part series, part 3”")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/unsubscribe-375.png", full_page=True)
    phone.get_by_role("button", name="Stop this mail").click()
    expect(phone.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    expect(phone.get_by_role("button", name="Stop all mail from this site")).to_be_visible()
    if SHOTS:
        phone.screenshot(path=f"{SHOTS}/unsubscribed-375.png", full_page=True)
    with live_app.app_context():
        assert db.session.query(Subscription).count() == 0
