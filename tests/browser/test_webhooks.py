"""The Webhooks page in a browser: add an endpoint, ping it, read its deliveries, on a phone too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Role
from forum.services import accounts
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.conftest import PageFactory
from tests.browser.test_accessibility import _blocking_violations
from tests.browser.test_accessibility import _report
from tests.webhook_receiver import Receiver
from tests.webhook_receiver import serve

pytestmark = pytest.mark.browser
PASSWORD = "hooks need a long password"
SHOTS = os.environ.get("PORCH_SCREENSHOT_DIR")  # set it to keep screenshots of the pages


@pytest.fixture
def receiver(live_app: Flask) -> Iterator[Receiver]:
    with live_app.app_context():
        user = accounts.register_local(
            email="owner@example.org", display_name="Owner", password=PASSWORD, min_length=10
        )
        user.role = Role.ADMIN
        db.session.commit()
    yield from serve()


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def _add_and_ping(page: Page, receiver: Receiver, size: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email", exact=True).fill("owner@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.goto("/mod/settings/webhooks")
    page.get_by_label("Address (URL)").fill(receiver.url + "/with/a/rather/long/path/to/wrap")
    page.get_by_label("reply.created", exact=False).check()
    page.get_by_label("report.opened", exact=False).check()
    _shot(page, f"webhooks-index-{size}")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.get_by_text("Webhook added.")).to_be_visible()
    secret = page.locator(".webhook-secret").inner_text()
    receiver.secret = secret
    receiver.codes = [500]
    page.get_by_role("button", name="Send a test ping").click()
    expect(page.get_by_text("Test ping queued.")).to_be_visible()
    expect(page.get_by_text("HTTP 500")).to_be_visible()
    assert [r.signature_ok for r in receiver.received] == [True]
    _shot(page, f"webhooks-show-{size}")


def test_admin_adds_webhook_and_pings_it(page: Page, receiver: Receiver) -> None:
    _add_and_ping(page, receiver, "1280")


def test_webhook_pages_fit_a_phone(new_page: PageFactory, receiver: Receiver) -> None:
    page = new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    _add_and_ping(page, receiver, "375")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    found = _blocking_violations(page, "webhook page")
    page.goto("/mod/settings/webhooks")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    found += _blocking_violations(page, "webhooks list")
    assert not found, _report(found)
