"""Browser fixtures: a real Porch server on a free port, and Chromium driven by Playwright.

Every test gets its own app, its own SQLite file and its own browser context, so tests never
see each other's replies, cookies or likes. CSRF protection is on, as in production.

Set up data inside `with live_app.app_context():` using tests.factories (each factory commits),
read the ids and slugs you need while still inside it, then drive the browser. The server
thread opens an app context (and so a database session) per request, separate from the test's.

Chromium comes from Debian (/usr/bin/chromium); Playwright's own browser download is never used.
Without it the browser tests are skipped, unless PORCH_REQUIRE_BROWSER=1 (CI) makes that a failure.

Any JavaScript error, console error, Content-Security-Policy violation, server error (5xx) or
page asset that fails to load makes the test fail at teardown, with the messages listed.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Browser
from playwright.sync_api import BrowserContext
from playwright.sync_api import ConsoleMessage
from playwright.sync_api import Page
from playwright.sync_api import Playwright
from playwright.sync_api import Request
from playwright.sync_api import Response
from playwright.sync_api import expect
from playwright.sync_api import sync_playwright
from werkzeug.serving import BaseWSGIServer
from werkzeug.serving import WSGIRequestHandler
from werkzeug.serving import make_server

from forum.extensions import db
from tests.conftest import make_app
from tests.factories import set_rules

CHROMIUM = Path("/usr/bin/chromium")
MISSING_CHROMIUM = (
    f"Chromium not found at {CHROMIUM}; install Debian's chromium package to run browser tests"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE_VIEWPORT = {"width": 375, "height": 740}
DESKTOP_VIEWPORT = {"width": 1280, "height": 900}
ASSET_TYPES = frozenset({"document", "stylesheet", "script", "image", "font"})

# Report CSP violations to the test, whatever the console says about them.
_CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.__porchCspViolation(
    `${event.effectiveDirective} blocked ${event.blockedURI || "inline code"} ` +
    `(${event.sourceFile || document.location.href}:${event.lineNumber})`
  );
});
"""

expect.set_options(timeout=5_000)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "app_config(**settings): settings passed to make_app for the live server"
    )


# ---- Chromium ---------------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    """Skip every browser test when Chromium is absent; with PORCH_REQUIRE_BROWSER=1, fail."""
    if CHROMIUM.is_file() and os.access(CHROMIUM, os.X_OK):
        return
    if os.environ.get("PORCH_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{MISSING_CHROMIUM} (PORCH_REQUIRE_BROWSER=1 forbids skipping)", pytrace=False)
    pytest.skip(MISSING_CHROMIUM)


@pytest.fixture(scope="session")
def playwright_driver(_chromium_present: None) -> Iterator[Playwright]:
    driver = sync_playwright().start()
    try:
        yield driver
    finally:
        driver.stop()


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    chromium = playwright_driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    try:
        yield chromium
    finally:
        chromium.close()


# ---- The live server --------------------------------------------------------------------------


_ANSWER = "porch.test.answer"  # environ key: the app's answer, closed if the browser goes away


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr; failures are reported by the page fixtures instead."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        """The browser dropped a request mid-answer (Chromium cancels a favicon when it
        navigates): close the answer, as a server would, or its open file warns when collected."""
        answer = (environ or {}).get(_ANSWER)
        close = getattr(answer, "close", None)
        if close is not None:
            close()


def _answers_kept(app: Any) -> Any:
    """The app, filing each answer in its environ for _QuietHandler.connection_dropped."""

    def serve(environ: Any, start_response: Any) -> Any:
        environ[_ANSWER] = answer = app(environ, start_response)
        return answer

    return serve


@pytest.fixture
def live_app_settings() -> dict[str, Any]:
    """Settings a test module adds for its live server (override it for values made at run time)."""
    return {}


@pytest.fixture
def live_app(
    request: pytest.FixtureRequest, tmp_path: Path, live_app_settings: dict[str, Any]
) -> Iterator[Flask]:
    """The app the live server runs, on its own SQLite file (even when CI sets a PostgreSQL URL:
    the explicit DATABASE_URL override wins). `@pytest.mark.app_config(...)` adds settings."""
    marker = request.node.get_closest_marker("app_config")
    settings = {**live_app_settings, **(dict(marker.kwargs) if marker else {})}
    app = make_app(
        DATABASE_URL=f"sqlite:///{tmp_path / 'browser.sqlite3'}",
        WTF_CSRF_ENABLED=True,
        **settings,
    )
    # db.create_all directly rather than tests.conftest.database_for: with
    # PORCH_TEST_DATABASE_URL set, database_for would TRUNCATE (PostgreSQL only) and mark the
    # shared PostgreSQL schema as built, which this SQLite file must not do.
    with app.app_context():
        db.create_all()
        # Replies go up at once unless a test sets rules itself: these tests are about the pages.
        set_rules(
            hold_first_time=False, flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01
        )
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def live_server(live_app: Flask) -> Iterator[str]:
    """Serve `live_app` on a free port in a daemon thread; yields the base URL."""
    server: BaseWSGIServer = make_server(
        "127.0.0.1", 0, _answers_kept(live_app), threaded=True, request_handler=_QuietHandler
    )
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},  # shutdown() waits up to one poll interval
        name="porch-live-server",
        daemon=True,
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


# ---- Pages ------------------------------------------------------------------------------------


@dataclass
class PageProblems:
    """Everything that went wrong in the pages of one test, for the teardown check."""

    messages: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> None:
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.messages.append(f"JavaScript error: {error}"))
        page.on("response", self._response)
        page.on("requestfailed", self._request_failed)

    def _console(self, message: ConsoleMessage) -> None:
        # Chromium logs every 4xx answer to fetch() as "Failed to load resource"; a refused form
        # (400) is expected, and failing assets are caught from the responses instead.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            where = f"{message.location.get('url')}:{message.location.get('lineNumber')}"
            self.messages.append(f"console error: {message.text} ({where})")

    def _response(self, response: Response) -> None:
        kind = response.request.resource_type
        failed_asset = response.status >= 400 and kind in ASSET_TYPES - {"document"}
        if response.status >= 500 or failed_asset:
            self.messages.append(f"HTTP {response.status} for {kind} {response.url}")

    def _request_failed(self, request: Request) -> None:
        if request.resource_type in ASSET_TYPES and request.failure != "net::ERR_ABORTED":
            self.messages.append(
                f"{request.resource_type} failed: {request.url} ({request.failure})"
            )


PageFactory = Callable[..., Page]


@pytest.fixture
def new_page(browser: Browser, live_server: str) -> Iterator[PageFactory]:
    """Make a page in a fresh browser context; keyword arguments go to browser.new_context."""
    problems = PageProblems()
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> Page:
        options.setdefault("viewport", DESKTOP_VIEWPORT)
        context = browser.new_context(base_url=live_server, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        if options.get("java_script_enabled", True):
            context.expose_function(
                "__porchCspViolation",
                lambda text: problems.messages.append(f"CSP violation: {text}"),
            )
            context.add_init_script(_CSP_LISTENER)
        page = context.new_page()
        problems.watch(page)
        return page

    yield make
    for context in contexts:
        context.close()
    if problems.messages:
        pytest.fail(
            "The browser reported problems:\n  " + "\n  ".join(problems.messages), pytrace=False
        )


@pytest.fixture
def page(new_page: PageFactory) -> Page:
    return new_page()


@pytest.fixture
def phone_page(new_page: PageFactory) -> Page:
    return new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)


@pytest.fixture
def no_js_page(new_page: PageFactory) -> Page:
    return new_page(java_script_enabled=False)
