"""The moderator dashboard in a real browser: clearing the queue by keyboard, a guest's held reply
from posting to approval, the row buttons without JavaScript, and axe on the dashboard pages."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Locator
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.services import accounts
from forum.services.moderation import actions
from tests.browser.conftest import PageFactory
from tests.browser.test_accessibility import _blocking_violations
from tests.browser.test_accessibility import _report
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import set_rules

pytestmark = pytest.mark.browser

PASSWORD = "moderating is a long job"
HELD_NOTICE = "Your reply is awaiting moderation"


@pytest.fixture
def live_app_settings(tmp_path: Path) -> dict[str, Any]:
    """Mail to moderators about held replies goes to this test's folder, not instance/mail."""
    return {"MAIL_DIR": str(tmp_path / "mail")}


def _make_staff(email: str, name: str, role: Role = Role.MODERATOR) -> None:
    """An account with a password (call inside an app context)."""
    user = accounts.register_local(email=email, display_name=name, password=PASSWORD, min_length=10)
    user.role = role
    db.session.commit()


def _sign_in(page: Page, email: str, name: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("link", name=name)).to_be_visible()


def _expect_decided(row: Locator) -> None:
    """moderation.js marks a decided row done, and it leaves the list."""
    expect(row).to_have_class(re.compile(r"\bis-done\b"))
    expect(row).to_be_hidden()


def _statuses(app: Flask, ids: list[int]) -> dict[int, ReplyStatus]:
    with app.app_context():
        return {reply_id: db.session.get(Reply, reply_id).status for reply_id in ids}


def _count(page: Page, tab: str) -> Locator:
    return page.locator(f'[data-count="{tab}"]')


def test_moderator_clears_the_queue_with_the_keyboard_alone(live_app: Flask, page: Page) -> None:
    with live_app.app_context():
        _make_staff("kim@example.org", "Kim Keys")
        post = make_post()
        # Oldest first, so the newest-first queue lists them as 3, 2, 1, 0.
        ids = [
            make_reply(post, status=ReplyStatus.PENDING, body_source=f"Held reply number {n}").id
            for n in range(4)
        ]
    first, second, third, last = reversed(ids)
    _sign_in(page, "kim@example.org", "Kim Keys")
    page.goto("/mod/queue/pending")
    expect(_count(page, "pending")).to_have_text("4")
    keys = page.keyboard

    keys.press("j")
    expect(page.locator(f"#q{first}")).to_have_class(re.compile(r"\bis-current\b"))
    expect(page.locator(f"#q{first}")).to_be_focused()
    keys.press("a")
    _expect_decided(page.locator(f"#q{first}"))
    expect(_count(page, "pending")).to_have_text("3")
    expect(page.locator("[data-undo-bar]")).to_contain_text("Approved 1 reply.")

    keys.press("x")  # the current row is now the next one
    keys.press("j")
    keys.press("x")
    keys.press("s")
    for reply_id in (second, third):
        _expect_decided(page.locator(f"#q{reply_id}"))
    expect(_count(page, "pending")).to_have_text("1")
    expect(_count(page, "spam")).to_have_text("2")

    keys.press("d")
    _expect_decided(page.locator(f"#q{last}"))
    expect(page.get_by_text("Nothing here. Well done.")).to_be_visible()
    expect(_count(page, "trash")).to_have_text("1")

    keys.press("u")  # undo the trash: the page reloads with the reply back in Pending
    expect(page.locator(f"#q{last}")).to_be_visible()
    expect(_count(page, "pending")).to_have_text("1")
    page.wait_for_load_state("load")  # the reloaded page's shortcuts are listening

    keys.press("?")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_visible()
    keys.press("Escape")
    expect(page.get_by_role("dialog", name="Keyboard shortcuts")).to_be_hidden()

    assert _statuses(live_app, ids) == {
        first: ReplyStatus.APPROVED,
        second: ReplyStatus.SPAM,
        third: ReplyStatus.SPAM,
        last: ReplyStatus.PENDING,
    }


@pytest.mark.parametrize("moderator_js", [True, False], ids=["moderator-js", "moderator-no-js"])
def test_guest_reply_is_held_until_a_moderator_approves_it(
    live_app: Flask, new_page: PageFactory, moderator_js: bool
) -> None:
    with live_app.app_context():
        set_rules()  # the real defaults: a first-time guest is held
        _make_staff("mia@example.org", "Mia Mod")
        post = make_post(title="Sourdough in winter")
        make_reply(post, guest_name="Brigid", body_source="Oven with the light on.")
        slug = post.slug
    text = "A proofing box with a seed-mat heater works for me."

    guest_a = new_page()
    guest_a.goto(f"/t/{slug}")
    form = guest_a.locator("#reply-form")
    form.get_by_label("Reply", exact=True).fill(text)
    form.get_by_label("Name", exact=True).fill("Ada Lovelace")
    form.get_by_label("Email", exact=True).fill("ada@example.org")
    form.get_by_role("button", name="Post reply").click()
    mine = guest_a.locator("li.reply", has_text=text)
    expect(mine.locator(".reply__notice")).to_contain_text(HELD_NOTICE)
    guest_a.reload()  # still there for its author after a fresh load
    expect(mine.locator(".reply__notice")).to_contain_text(HELD_NOTICE)

    guest_b = new_page()
    guest_b.goto(f"/t/{slug}")
    expect(guest_b.get_by_text("Oven with the light on.")).to_be_visible()
    expect(guest_b.get_by_text(text)).to_have_count(0)

    moderator = new_page(java_script_enabled=moderator_js)
    _sign_in(moderator, "mia@example.org", "Mia Mod")
    moderator.goto("/mod/queue/pending")
    held = moderator.locator("li[data-queue-item]", has_text=text)
    expect(held).to_contain_text("first time")
    held.get_by_role("button", name="Approve").click()
    if moderator_js:
        _expect_decided(held)
    else:  # the form posts, and the queue comes back without the row
        expect(held).to_have_count(0)
    expect(moderator.locator('[data-count="pending"]')).to_have_text("0")
    expect(moderator.locator("[data-undo-bar]")).to_contain_text("Approved 1 reply.")

    guest_b.reload()
    approved = guest_b.locator("li.reply", has_text=text)
    expect(approved).to_be_visible()
    expect(approved.locator(".reply__author")).to_have_text("Ada Lovelace")
    expect(guest_b.get_by_text(HELD_NOTICE)).to_have_count(0)


def test_row_buttons_work_without_javascript(live_app: Flask, new_page: PageFactory) -> None:
    with live_app.app_context():
        _make_staff("mia@example.org", "Mia Mod")
        post = make_post(title="Winter gardening")
        keep = make_reply(post, body_source="Mulch the beds.", status=ReplyStatus.PENDING).id
        junk = make_reply(post, body_source="Cheap watches here.", status=ReplyStatus.PENDING).id

    page = new_page(java_script_enabled=False)
    _sign_in(page, "mia@example.org", "Mia Mod")
    page.goto("/mod/queue/pending")
    pending = page.locator('[data-count="pending"]')
    expect(pending).to_have_text("2")

    with page.expect_navigation() as navigation:
        page.locator(f"#q{junk}").get_by_role("button", name="Trash").click()
    assert navigation.value is not None and navigation.value.url.endswith("/mod/queue/pending")
    assert navigation.value.request.redirected_from is not None  # the POST answered 303
    assert navigation.value.request.redirected_from.method == "POST"
    expect(page.locator(f"#q{junk}")).to_have_count(0)
    expect(page.locator(f"#q{keep}")).to_be_visible()
    expect(pending).to_have_text("1")
    expect(page.locator('[data-count="trash"]')).to_have_text("1")
    undo_bar = page.locator("[data-undo-bar]")
    expect(undo_bar).to_contain_text("Trashed 1 reply.")
    assert _statuses(live_app, [junk]) == {junk: ReplyStatus.TRASH}

    undo_bar.get_by_role("button", name="Undo").click()
    expect(page.locator(f"#q{junk}")).to_be_visible()
    expect(pending).to_have_text("2")
    expect(page.locator('[data-count="trash"]')).to_have_text("0")
    assert _statuses(live_app, [junk, keep]) == {
        junk: ReplyStatus.PENDING,
        keep: ReplyStatus.PENDING,
    }


def test_dashboard_pages_have_no_serious_accessibility_violations(
    live_app: Flask, page: Page
) -> None:
    with live_app.app_context():
        _make_staff("ada@example.org", "Ada Admin", role=Role.ADMIN)
        post = make_post(title="Winter gardening")
        parent = make_reply(post, guest_name="Brigid", body_source="Mulch the beds **now**.")
        held = make_reply(
            post,
            parent,
            body_source="Buy cheap watches at https://example.org/watches",
            status=ReplyStatus.PENDING,
            held_reason="links",
            spam_score=0.72,
            ip_address="203.0.113.9",
        )
        make_reply(post, body_source="First post here.", status=ReplyStatus.PENDING)
        decided = make_reply(post, body_source="Spammy.", status=ReplyStatus.PENDING)
        admin = accounts.find_by_email("ada@example.org")
        actions.moderate(moderator=admin, reply_ids=[decided.id], action="spam", reason="ads")
        held_id = held.id

    _sign_in(page, "ada@example.org", "Ada Admin")
    found = []
    pages = [
        ("pending queue", "/mod/queue/pending", f"#q{held_id}"),
        ("reply detail", f"/mod/replies/{held_id}", "h1"),
        ("audit log", "/mod/audit", "h1"),
        ("bans", "/mod/bans", "h1"),
        ("rules", "/mod/settings/rules", "h1"),
    ]
    for label, url, ready in pages:
        response = page.goto(url)
        assert response is not None and response.status == 200, f"{url}: {response}"
        expect(page.locator(ready).first).to_be_visible()
        found += _blocking_violations(page, label)
    assert not found, "Serious or critical accessibility violations:\n" + _report(found)
