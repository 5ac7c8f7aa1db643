"""The widget on another site's page, in a Chromium that blocks third-party cookies.

The host page is served by a second server on 127.0.0.1 and opened as http://localhost:<port>:
another site than Porch's http://127.0.0.1:<port>, so the frame is a third party. The same page
opened as http://127.0.0.1:<port> is an origin not in PORCH_EMBED_ORIGINS and must get nothing.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser
from playwright.sync_api import FrameLocator
from playwright.sync_api import Locator
from playwright.sync_api import Page
from playwright.sync_api import Playwright
from playwright.sync_api import expect
from sqlalchemy import select

from forum.extensions import db
from forum.models import Flag
from forum.models import Like
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.services.moderation import actions
from tests.browser.conftest import CHROMIUM
from tests.browser.conftest import CHROMIUM_ARGS
from tests.browser.conftest import PageProblems
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules
from tests.oidc_provider.process import RunningProvider
from tests.oidc_provider.process import start_provider

# Chromium's switch that turns on the third-party-cookie phase-out (cookies blocked in frames).
NO_THIRD_PARTY_COOKIES = "--test-third-party-cookie-phaseout"
SCREENSHOTS = Path("/tmp/porch-embed-screens")

HOST_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Part 3 · A blog</title>
<style>body {{ font: 18px Georgia, serif; max-width: 44rem; margin: 2rem auto; padding: 0 1rem; }}
p, div, h2 {{ color: #702; }}</style>
<script src="{porch}/embed.js" async></script></head>
<body><h1>Part 3</h1>
<p>The host page's own article. <span data-porch-count="{page}">Comments</span></p>
<div id="porch-thread" data-porch-title="Part 3" data-porch-theme="light"></div>
</body></html>
"""


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def host_server(tmp_path: Path) -> Iterator[ThreadingHTTPServer]:
    site = tmp_path / "host"
    site.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def provider() -> Iterator[RunningProvider]:
    """A test OpenID Connect provider: the popup signs in with it, as with a social login."""
    running = start_provider("porch-embed", "porch-embed-secret")
    yield running
    running.stop()


@pytest.fixture
def live_app_settings(
    host_server: ThreadingHTTPServer, provider: RunningProvider
) -> dict[str, Any]:
    provider.reset()
    return {
        "EMBED_ORIGINS": f"http://localhost:{host_server.server_port}",
        "OAUTH_TESTIDP_CLIENT_ID": provider.client_id,
        "OAUTH_TESTIDP_CLIENT_SECRET": provider.client_secret,
        "OAUTH_TESTIDP_ISSUER": provider.issuer,
        "OAUTH_TESTIDP_LABEL": "Test IdP",
    }


@pytest.fixture
def strict_browser(playwright_driver: Playwright) -> Iterator[Browser]:
    args = [*CHROMIUM_ARGS, NO_THIRD_PARTY_COOKIES]
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=args)
    try:
        yield chromium
    finally:
        chromium.close()


def _host_page(host_server: ThreadingHTTPServer, live_server: str) -> str:
    """Write the host page; return its allowed address."""
    url = f"http://localhost:{host_server.server_port}/part-3.html"
    directory = Path(host_server.RequestHandlerClass.keywords["directory"])  # type: ignore[attr-defined]
    (directory / "part-3.html").write_text(HOST_PAGE.format(porch=live_server, page=url))
    return url


def _widget(page: Page) -> FrameLocator:
    return page.frame_locator("#porch-thread iframe")


def test_guest_posts_through_widget_and_sees_reply_after_approval(
    live_app: Flask, live_server: str, host_server: ThreadingHTTPServer, strict_browser: Browser
) -> None:
    url = _host_page(host_server, live_server)
    with live_app.app_context():
        make_reply(make_post(title="Part 3", original_url=url), body_source="Welcome to part 3")
        set_rules(hold_first_time=True, flood_seconds=0)
    context = strict_browser.new_context(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    widget = _widget(page)
    expect(widget.get_by_text("Welcome to part 3")).to_be_visible()
    expect(page.get_by_text("1 comment", exact=True)).to_be_visible()

    widget.get_by_role("textbox", name="Reply").fill("Thanks, this helped.")
    widget.get_by_role("button", name="Post reply").click()  # no name yet: refused, kept
    expect(widget.get_by_role("textbox", name="Name")).to_be_focused()
    expect(widget.get_by_role("textbox", name="Name")).to_have_accessible_description(
        re.compile("name")
    )
    widget.get_by_role("textbox", name="Name").fill("Gus")
    widget.get_by_role("textbox", name="Email").fill("gus@example.org")
    widget.get_by_role("button", name="Post reply").click()
    expect(widget.get_by_text("awaiting moderation")).to_be_visible()
    expect(widget.get_by_text("Thanks, this helped.")).to_be_visible()
    assert not [c for c in context.cookies() if c["domain"] == "127.0.0.1"]  # all without cookies

    with live_app.app_context():
        held = db.session.scalar(select(Reply).where(Reply.guest_name == "Gus"))
        assert held is not None
        moderator = make_user(role=Role.MODERATOR)
        actions.moderate(moderator=moderator, reply_ids=[held.id], action="approve")
    page.reload()
    expect(_widget(page).get_by_text("Thanks, this helped.")).to_be_visible()
    expect(_widget(page).get_by_text("awaiting moderation")).to_have_count(0)
    expect(page.get_by_text("2 comments", exact=True)).to_be_visible()
    frame_height = page.locator("#porch-thread iframe").evaluate("f => f.clientHeight")
    assert frame_height > 300  # sized by the frame's postMessage, not the initial height
    _screenshots(page)
    assert not errors
    context.close()


def _screenshots(page: Page, name: str = "embed") -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.set_viewport_size({"width": 1280, "height": 1300})
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-1280.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 1400})
    page.wait_for_timeout(500)  # the frame reports its new height
    page.screenshot(path=str(SCREENSHOTS / f"{name}-375.png"), full_page=True)
    overflow = _widget(page).locator("html").evaluate("el => el.scrollWidth > el.clientWidth")
    assert not overflow


def test_host_page_from_origin_not_allowed_gets_nothing(
    live_app: Flask, live_server: str, host_server: ThreadingHTTPServer, strict_browser: Browser
) -> None:
    url = _host_page(host_server, live_server)
    stranger = url.replace("localhost", "127.0.0.1")
    with live_app.app_context():
        make_reply(make_post(original_url=stranger), body_source="Not for strangers")
    context = strict_browser.new_context()
    page = context.new_page()
    page.goto(stranger)
    page.wait_for_load_state("networkidle")
    frame = page.locator("#porch-thread iframe")
    expect(frame).to_have_count(1)
    for child in page.frames[1:]:
        assert "Not for strangers" not in child.content()
        assert "Post reply" not in child.content()
    expect(page.get_by_text("Comments", exact=True)).to_be_visible()  # no count for it
    context.close()


def _sign_in_through_popup(page: Page, widget: FrameLocator, opener: Locator) -> None:
    """Click a sign-in control in the frame; sign in with the provider in the popup."""
    with page.context.expect_page() as popup_info:
        opener.click()
    popup = popup_info.value
    popup.get_by_role("button", name="Sign in with Test IdP").click()
    popup.get_by_label("Username").select_option("alice")
    with popup.expect_event("close"):
        popup.get_by_role("button", name="Sign in and allow").click()
    expect(widget.get_by_text("You are signed in.")).to_be_visible()


def test_member_signs_in_through_widget_likes_reports_replies_and_signs_out(
    live_app: Flask,
    live_server: str,
    host_server: ThreadingHTTPServer,
    strict_browser: Browser,
    provider: RunningProvider,
) -> None:
    url = _host_page(host_server, live_server)
    with live_app.app_context():
        post = make_post(title="Part 3", original_url=url)
        bea = make_reply(post, guest_name="Bea", body_source="Welcome to part 3").id
        cy = make_reply(post, guest_name="Cy", body_source="Buy cheap pills here").id
        set_rules(
            hold_first_time=True, flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01
        )
    context = strict_browser.new_context(viewport={"width": 1280, "height": 900})
    problems = PageProblems()
    page = context.new_page()
    problems.watch(page)
    context.on("page", problems.watch)
    page.goto(url)
    widget = _widget(page)

    # A guest's Like asks them to sign in: the popup is Porch, first-party, with its providers.
    expect(widget.get_by_role("link", name="Like reply by Bea (sign in first)")).to_be_visible()
    _sign_in_through_popup(page, widget, widget.get_by_role("link", name="Like reply by Bea"))
    expect(widget.get_by_text("Signed in as Alice Example")).to_be_visible()
    embed_cookie = [c for c in context.cookies() if c["name"] == "porch_embed"]
    assert len(embed_cookie) == 1 and embed_cookie[0]["sameSite"] == "None"
    assert embed_cookie[0]["secure"] and embed_cookie[0].get("partitionKey")  # CHIPS: per top site

    widget.get_by_role("button", name="Like reply by Bea").click()
    expect(widget.get_by_role("button", name="Unlike reply by Bea")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(widget.locator(f"#c{bea} .like-count").first).to_have_text("Liked by 1 person")

    widget.get_by_role("link", name="Report reply by Cy").click()
    _screenshots(page, "embed-report-form")
    widget.get_by_label("Spam").check()
    widget.get_by_role("button", name="Send report").click()
    expect(widget.get_by_text("Thanks — a moderator will look at it.")).to_be_visible()

    widget.get_by_role("link", name="Reply to Bea").click()
    expect(widget.get_by_role("heading", name="Reply to Bea")).to_be_visible()
    _screenshots(page, "embed-reply-to")
    widget.get_by_role("textbox", name="Reply").fill("Thank you, Bea.")
    widget.get_by_role("button", name="Post reply").click()
    nested = widget.locator(f"#c{bea} .replies--nested")
    expect(nested.get_by_text("Thank you, Bea.")).to_be_visible()
    expect(nested.get_by_text("awaiting moderation")).to_be_visible()
    _screenshots(page, "embed-member")

    widget.get_by_role("button", name="Sign out").click()
    expect(widget.get_by_text("You are signed out of the comments.")).to_be_visible()
    expect(widget.get_by_role("link", name="Sign in", exact=True).first).to_be_visible()
    expect(nested.get_by_text("Thank you, Bea.")).to_have_count(0)  # held: only its author sees it
    assert not [c for c in context.cookies() if c["name"] == "porch_embed"]

    with live_app.app_context():
        alice = db.session.scalar(select(User).where(User.display_name == "Alice Example"))
        assert alice is not None
        assert db.session.scalar(select(Like.user_id).where(Like.reply_id == bea)) == alice.id
        assert db.session.scalar(select(Flag.reply_id).where(Flag.reporter_id == alice.id)) == cy
        child = db.session.scalar(select(Reply).where(Reply.author_id == alice.id))
        assert child is not None and child.parent_id == bea
        assert child.status == ReplyStatus.PENDING
    context.close()
    assert not problems.messages, problems.messages
