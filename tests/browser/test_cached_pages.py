"""Cached thread pages in a real browser: they set no cookie, yet replying, liking and
reporting work with and without JavaScript, and a form on another origin is refused."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from http.server import ThreadingHTTPServer
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Flag
from forum.models import Reply
from tests.factories import make_post
from tests.factories import make_reply

pytestmark = pytest.mark.browser


def _thread(live_app: Flask) -> tuple[str, int]:
    with live_app.app_context():
        post = make_post(title="Cached soup")
        reply = make_reply(post, guest_name="Brigid", body_source="Leeks first.")
        return post.slug, reply.id


def _reply_count(live_app: Flask) -> int:
    with live_app.app_context():
        return db.session.scalar(select(func.count(Reply.id))) or 0


def _open_cached(page: Page, slug: str) -> None:
    first = page.goto(f"/t/{slug}")
    again = page.goto(f"/t/{slug}")
    assert first is not None and again is not None
    headers = again.all_headers()
    assert "etag" in headers and "public" in headers["cache-control"]
    assert "set-cookie" not in headers
    assert page.context.cookies() == []  # reading set no cookie at all


def _reply(page: Page, text: str) -> None:
    form = page.locator("#reply-form")
    form.get_by_label("Reply", exact=True).fill(text)
    form.get_by_label("Name", exact=True).fill("Ada")
    form.get_by_label("Email", exact=True).fill("ada@example.org")
    form.get_by_role("button", name="Post reply").click()


def test_reply_and_like_from_a_cached_page_with_javascript(live_app: Flask, page: Page) -> None:
    slug, reply_id = _thread(live_app)
    _open_cached(page, slug)
    _reply(page, "Then potatoes.")
    expect(page.locator(".reply__body", has_text="Then potatoes.")).to_be_visible()
    item = page.locator(f"li#c{reply_id}")
    item.get_by_role("button", name="Like reply by Brigid", exact=True).click()
    expect(item.locator("[data-like-count]")).to_have_text("Liked by 1 person")
    assert _reply_count(live_app) == 2


def test_report_from_a_cached_page_fetches_its_token(live_app: Flask, page: Page) -> None:
    slug, reply_id = _thread(live_app)
    _open_cached(page, slug)
    item = page.locator(f"li#c{reply_id}")
    item.get_by_role("link", name="Report reply by Brigid").click()
    item.get_by_label("Spam").check()
    item.get_by_role("button", name="Send report").click()
    expect(item.get_by_text("Thanks — a moderator will look at it.")).to_be_visible()
    with live_app.app_context():
        assert db.session.scalar(select(func.count(Flag.id))) == 1


def test_reply_and_like_from_a_cached_page_without_javascript(
    live_app: Flask, no_js_page: Page
) -> None:
    slug, reply_id = _thread(live_app)
    _open_cached(no_js_page, slug)
    _reply(no_js_page, "Then potatoes.")
    expect(no_js_page.locator(".reply__body", has_text="Then potatoes.")).to_be_visible()
    item = no_js_page.locator(f"li#c{reply_id}")
    item.get_by_role("button", name="Like reply by Brigid", exact=True).click()
    expect(item.locator("[data-like-count]")).to_have_text("Liked by 1 person")
    assert _reply_count(live_app) == 2


@pytest.fixture
def other_origin(live_server: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Another site (another port on this host) with a form that posts a reply to Porch."""
    seen: dict[str, Any] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802  the http.server protocol
            slug = self.path.strip("/")
            body = (
                f'<!doctype html><form method="post" action="{live_server}/t/{slug}/replies">'
                '<input name="body" value="Forged"><input name="name" value="Mallory">'
                '<input name="email" value="m@example.org"><button>Win a prize</button></form>'
            ).encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("javascript", [True, False])
def test_form_on_another_origin_is_refused(
    live_app: Flask, new_page: Any, other_origin: tuple[str, dict[str, Any]], javascript: bool
) -> None:
    slug, _ = _thread(live_app)
    page: Page = new_page(java_script_enabled=javascript)
    page.goto(f"/t/{slug}")  # the visitor has read Porch in this browser
    base, _ = other_origin
    page.goto(f"{base}/{slug}")
    with page.expect_response(lambda response: "/replies" in response.url) as answer:
        page.get_by_role("button", name="Win a prize").click()
    assert answer.value.status == 403
    expect(page.get_by_text("sent from another site")).to_be_visible()
    assert _reply_count(live_app) == 1
