"""Keeping a reported reply from the Flagged tab, with JavaScript: the row leaves, counts follow."""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Flag
from forum.models import FlagReason
from tests.browser.test_moderation import _expect_decided
from tests.browser.test_moderation import _make_staff
from tests.browser.test_moderation import _sign_in
from tests.factories import make_post
from tests.factories import make_reply

pytestmark = pytest.mark.browser


def test_keep_in_the_flagged_tab_dismisses_the_reports_and_offers_undo(
    live_app: Flask, page: Page
) -> None:
    with live_app.app_context():
        _make_staff("mia@example.org", "Mia Mod")
        reply = make_reply(make_post(), body_source="Blunt but fair.")
        db.session.add(
            Flag(reply_id=reply.id, reporter_token="t", reason=FlagReason.ABUSE, body_snapshot="x")
        )
        db.session.commit()
        reply_id = reply.id
    _sign_in(page, "mia@example.org", "Mia Mod")
    page.goto("/mod/queue/flagged")
    row = page.locator(f"#q{reply_id}")
    row.get_by_role("button", name="Keep").click()
    _expect_decided(row)
    expect(page.locator('[data-count="flagged"]')).to_have_text("0")
    bar = page.locator("[data-undo-bar]")
    expect(bar).to_contain_text("Kept 1 reply. Their reports are dismissed.")
    bar.get_by_role("button", name="Undo").click()
    expect(page.locator(f"#q{reply_id}")).to_be_visible()
    expect(page.locator('[data-count="flagged"]')).to_have_text("1")
