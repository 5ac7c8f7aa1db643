"""axe-core on the pages people use most, at desktop width and at 375 px: no serious or critical
violations. A failure lists each rule with its impact and the elements it found, and for
colour contrast the colour pair and ratio."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.models import ReplyStatus
from tests.browser.conftest import DESKTOP_VIEWPORT
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.conftest import PageFactory
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply

pytestmark = pytest.mark.browser

BLOCKING_IMPACTS = ("serious", "critical")
VIEWPORTS = {"desktop": DESKTOP_VIEWPORT, "phone": PHONE_VIEWPORT}

_axe = Axe()


def _describe_node(node: dict[str, Any]) -> str:
    target = " ".join(str(part) for part in node["target"])
    line = f"    - {target}\n      {node['html'][:160]}"
    for check in node.get("any", []) + node.get("all", []) + node.get("none", []):
        data = check.get("data")
        if isinstance(data, dict) and "fgColor" in data:
            line += (
                f"\n      colour {data['fgColor']} on {data['bgColor']}: contrast "
                f"{data['contrastRatio']}, needs {data['expectedContrastRatio']}"
            )
        elif check.get("message"):
            line += f"\n      {check['message']}"
    return line


def _report(violations: list[tuple[str, dict[str, Any]]]) -> str:
    lines = []
    for where, violation in violations:
        lines.append(
            f"[{where}] {violation['id']} ({violation['impact']}): {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        lines.extend(_describe_node(node) for node in violation["nodes"])
    return "\n".join(lines)


def _blocking_violations(page: Page, label: str) -> list[tuple[str, dict[str, Any]]]:
    results = _axe.run(page)
    return [
        (f"{label} @ {page.viewport_size['width']}px {page.url}", violation)
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]


State = Callable[[Page], None]


def _check_both_widths(new_page: PageFactory, states: list[tuple[str, State]]) -> None:
    """At each width, in a fresh browser context, bring a page into each state and run axe
    there; fail once, with every violation found."""
    found: list[tuple[str, dict[str, Any]]] = []
    for width_name, viewport in VIEWPORTS.items():
        page = new_page(viewport=viewport)
        for label, enter_state in states:
            enter_state(page)
            found += _blocking_violations(page, f"{label}, {width_name}")
    assert not found, "Serious or critical accessibility violations:\n" + _report(found)


def _thread_with_nested_replies() -> tuple[str, int]:
    """A post with a conversation several levels deep, a like, and a removed reply."""
    category = make_category(name="Baking")
    post = make_post(
        title="Sourdough in winter",
        category=category,
        body_source="How do you keep a starter **lively** when the kitchen is cold?",
    )
    first = make_reply(
        post, guest_name="Brigid", body_source="Oven with the light on.", like_count=2
    )
    answer = make_reply(
        post,
        first,
        guest_name="Cormac",
        body_source="> Oven with the light on.\n\nCareful, mine got *too* warm.",
    )
    deeper = make_reply(
        post,
        answer,
        guest_name="Dana",
        guest_url="https://example.org",
        body_source="A proofing box fixed it: https://example.org/proofing",
    )
    make_reply(post, deeper, guest_name="Brigid", body_source="Good tip.\n\n- one\n- two")
    removed = make_reply(post, body_source="spam", status=ReplyStatus.TRASH)
    make_reply(post, removed, guest_name="Eamon", body_source="Answering a removed reply.")
    make_reply(
        post,
        first,
        guest_name="Dana",
        body_source="Deleted later.",
        deleted_at=datetime(2026, 2, 1, tzinfo=UTC),
    )
    make_reply(post, guest_name="Fionn", body_source="`code` and ~~strike~~.")
    return post.slug, first.id


def test_index_page(live_app: Flask, new_page: PageFactory) -> None:
    with live_app.app_context():
        _thread_with_nested_replies()
        make_post(title="A post with no replies yet")

    def index(page: Page) -> None:
        page.goto("/")
        expect(page.get_by_role("link", name="Sourdough in winter")).to_be_visible()

    _check_both_widths(new_page, [("index", index)])


def test_thread_page_with_nested_replies_and_inline_form(
    live_app: Flask, new_page: PageFactory
) -> None:
    with live_app.app_context():
        slug, first_id = _thread_with_nested_replies()

    def fresh_thread(page: Page) -> None:
        page.goto(f"/t/{slug}")
        expect(page.get_by_text("Good tip.")).to_be_visible()

    def liked_and_replying_inline(page: Page) -> None:
        page.get_by_role("button", name="Like reply by Fionn", exact=True).click()
        expect(page.get_by_role("button", name="Unlike reply by Fionn", exact=True)).to_be_visible()
        page.get_by_role("link", name="Reply to Cormac").click()
        expect(page.get_by_role("heading", name="Reply to Cormac")).to_be_visible()

    def branch_collapsed(page: Page) -> None:
        page.goto(f"/t/{slug}")
        page.locator(f"li#c{first_id} > details > summary").click()
        expect(page.get_by_text("Good tip.")).to_be_hidden()

    _check_both_widths(
        new_page,
        [
            ("thread", fresh_thread),
            ("thread, liked, form under a reply", liked_and_replying_inline),
            ("thread, branch collapsed", branch_collapsed),
        ],
    )


def test_thread_page_after_a_refused_reply(live_app: Flask, new_page: PageFactory) -> None:
    with live_app.app_context():
        slug, _ = _thread_with_nested_replies()

    def refused(page: Page) -> None:
        page.goto(f"/t/{slug}")
        form = page.locator("#reply-form")
        form.get_by_label("Email", exact=True).fill("not an address")
        form.get_by_role("button", name="Post reply").click()
        expect(form.locator("#body-errors")).to_be_visible()
        expect(form.locator("#email-errors")).to_be_visible()

    def previewed(page: Page) -> None:
        form = page.locator("#reply-form")
        form.get_by_label("Reply", exact=True).fill("**Bold** idea")
        form.get_by_label("Name", exact=True).fill("Ada")
        form.get_by_label("Email", exact=True).fill("ada@example.org")
        form.get_by_role("button", name="Preview").click()
        expect(form.locator("[data-preview] strong")).to_have_text("Bold")

    _check_both_widths(
        new_page, [("thread, reply refused", refused), ("thread, then previewed", previewed)]
    )


def test_reply_form_page(live_app: Flask, new_page: PageFactory) -> None:
    with live_app.app_context():
        slug, first_id = _thread_with_nested_replies()

    def form_page(page: Page) -> None:
        page.goto(f"/t/{slug}/reply?parent_id={first_id}")
        expect(page.get_by_role("heading", name="Reply to Brigid")).to_be_visible()

    _check_both_widths(new_page, [("reply page", form_page)])


def test_reply_form_page_after_a_refused_reply_without_javascript(
    live_app: Flask, new_page: PageFactory
) -> None:
    """The page a browser without porch.js gets back from a refused POST. porch.js is served
    empty (axe itself needs JavaScript, so the context cannot simply have it turned off)."""
    with live_app.app_context():
        slug, first_id = _thread_with_nested_replies()

    def refused(page: Page) -> None:
        page.route(
            "**/static/js/porch.js",
            lambda route: route.fulfill(status=200, content_type="text/javascript", body=""),
        )
        page.goto(f"/t/{slug}/reply?parent_id={first_id}")
        page.get_by_label("Website").fill("example.org")
        page.get_by_role("button", name="Post reply").click()
        expect(page.locator("#body-errors")).to_be_visible()
        expect(page.locator("#url-errors")).to_be_visible()
        expect(page.get_by_label("Website")).to_have_value("example.org")

    def previewed(page: Page) -> None:
        page.get_by_label("Website").fill("https://example.org")
        page.get_by_label("Reply", exact=True).fill("**Bold** idea")
        page.get_by_label("Name", exact=True).fill("Ada")
        page.get_by_label("Email", exact=True).fill("ada@example.org")
        page.get_by_role("button", name="Preview").click()
        expect(page.get_by_role("heading", name="Preview")).to_be_visible()
        expect(page.locator(".preview strong")).to_have_text("Bold")

    _check_both_widths(
        new_page, [("reply page, refused", refused), ("reply page, then previewed", previewed)]
    )


def test_search_page_with_results_and_with_a_bad_filter(
    live_app: Flask, new_page: PageFactory
) -> None:
    with live_app.app_context():
        _thread_with_nested_replies()

    def results(page: Page) -> None:
        page.goto("/search?q=oven*")
        expect(page.locator(".search-hit mark").first).to_be_visible()

    def bad_filter(page: Page) -> None:
        page.goto("/search?q=oven&from=yesterday")
        expect(page.get_by_role("alert")).to_be_visible()

    _check_both_widths(new_page, [("search results", results), ("search, bad date", bad_filter)])
