"""The moderator dashboard on a phone: no page wider than the screen, changes told in words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Flag
from forum.models import FlagReason
from forum.models import ReplyStatus
from forum.models import Role
from forum.services import accounts
from forum.services.moderation import actions
from forum.services.moderation import bans
from forum.services.moderation import branches
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.conftest import PageFactory
from tests.browser.test_moderation import _make_staff
from tests.browser.test_moderation import _sign_in
from tests.factories import make_post
from tests.factories import make_reply

pytestmark = pytest.mark.browser


@pytest.fixture
def live_app_settings(tmp_path: Path) -> dict[str, Any]:
    return {"MAIL_DIR": str(tmp_path / "mail")}


def _fill_the_log(app: Flask) -> int:
    """Several kinds of entries, a reported reply and a held one; returns the held reply's id."""
    with app.app_context():
        _make_staff("ada@example.org", "Ada Admin-Longname", role=Role.ADMIN)
        admin = accounts.find_by_email("ada@example.org")
        post = make_post(title="Coming off the tablets, part three: the long middle")
        parent = make_reply(post, body_source="I felt *weirdly* calm " * 12)
        held = [
            make_reply(post, parent, status=ReplyStatus.PENDING, held_reason="first_time")
            for _ in range(4)
        ]
        reported = make_reply(post, body_source="https://example.org/" + "very-long-path" * 8)
        db.session.add(
            Flag(
                reply_id=reported.id,
                reporter_token="t1",
                reason=FlagReason.HARMFUL,
                note="dose",
                body_snapshot="x",
            )
        )
        db.session.commit()
        ids = [r.id for r in held]
        actions.moderate(moderator=admin, reply_ids=ids[:2], action="approve", reason="fine")
        actions.moderate(moderator=admin, reply_ids=ids[2:3], action="spam")
        branches.moderate_branch(moderator=admin, reply_id=parent.id, action="lock")
        bans.ban(
            moderator=admin,
            request=bans.BanRequest(ip_range="2001:db8:ffff:ffff::/64", reason="ads " * 30),
        )
        return ids[3]


def test_audit_log_and_queue_fit_a_375px_phone(live_app: Flask, new_page: PageFactory) -> None:
    held_id = _fill_the_log(live_app)
    page = new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    _sign_in(page, "ada@example.org", "Ada Admin-Longname")
    for url in (
        "/mod/audit",
        "/mod/queue/pending",
        "/mod/queue/flagged",
        f"/mod/replies/{held_id}",
    ):
        response = page.goto(url)
        assert response is not None and response.status == 200
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE_VIEWPORT["width"], f"{url} is {width}px wide"
    page.goto("/mod/audit")
    expect(page.get_by_text("status: pending → approved")).to_be_visible()
    expect(page.get_by_text("locked: no →").first).to_be_visible()
    expect(page.locator('text=/\\{"/')).to_have_count(0)
