"""The XSS corpus, put in through every entry path, never runs on any page that shows it.

The site is filled once per test through the real paths (tests/security/xss_site.py), then
Chromium opens every page that shows what was stored. Before any page script, a sentinel hooks
`__xss_hit` (which the payloads call) and alert/confirm/prompt/print; any call, or any dialog,
fails the test. Each page is also checked in the DOM: no on* attribute anywhere, no
javascript:/data:/vbscript: target on a link, form, frame or object (as the DOM resolves it,
entities decoded), no script Porch did not ship, no <base href> or meta refresh, and
`rel=noopener` on every link that opens a new window (the embed's <base target> included).

The pages run with their Content-Security-Policy bypassed: the CSP would block most inline
payloads, and this test is about escaping and sanitising holding on their own.
"""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext
from playwright.sync_api import Page
from playwright.sync_api import Route
from playwright.sync_api import expect

from forum.extensions import db
from forum.text.sanitize import ARTICLE_ATTRIBUTES
from forum.text.sanitize import ARTICLE_TAGS
from tests.browser.conftest import PageFactory
from tests.conftest import make_app
from tests.factories import make_post
from tests.security.test_sanitiser_properties import problems as markup_problems
from tests.security.xss_corpus import payloads
from tests.security.xss_site import EMBED_SITE
from tests.security.xss_site import PASSWORD
from tests.security.xss_site import Site
from tests.security.xss_site import seed

pytestmark = pytest.mark.browser

ATOM = "{http://www.w3.org/2005/Atom}"
PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a4c50000000049454e44ae426082"
)

SENTINEL = """
(() => {
  const report = (what) => {
    try { window.__xss_report(String(what)); } catch (e) { /* a frame without the binding */ }
    try { top.__xss.push(String(what)); } catch (e) { /* opaque frame */ }
  };
  window.__xss = [];
  window.__xss_hit = (n) => report("__xss_hit(" + n + ") on " + location.href);
  for (const name of ["alert", "confirm", "prompt", "print"]) {
    window[name] = (...args) => report(name + "(" + args.join(",") + ") on " + location.href);
  }
})();
"""

# Returns a list of problems with the page's DOM; `allowed` is the article allow-list, the
# widest one user content may use, checked inside every .prose block.
DOM_CHECK = """
(allowed) => {
  // Read the DOM through the prototypes: injected ids and names could shadow (clobber)
  // document.querySelectorAll, el.attributes and the like.
  const getter = (proto, name) => Object.getOwnPropertyDescriptor(proto, name).get;
  const all = (root, selector) => Array.from(
    (root === document ? Document.prototype : Element.prototype)
      .querySelectorAll.call(root, selector));
  const names = (el) => Element.prototype.getAttributeNames.call(el);
  const attr = (el, name) => Element.prototype.getAttribute.call(el, name);
  const has = (el, name) => Element.prototype.hasAttribute.call(el, name);
  const tagOf = getter(Element.prototype, "localName");
  const namespaceOf = getter(Element.prototype, "namespaceURI");
  const outer = getter(Element.prototype, "outerHTML");
  const base = getter(Node.prototype, "baseURI").call(document);
  const found = [];
  const bad = new Set(["javascript:", "data:", "vbscript:"]);
  const origin = location.origin;
  const resolve = (value) => {
    try { return new URL(value, base); } catch (e) { return null; }
  };
  const protocol = (value) => {
    if (value === null || value === undefined) return "";
    const url = resolve(value);
    return url ? url.protocol : "invalid:";
  };
  const label = (el) => outer.call(el).slice(0, 160);
  for (const el of all(document, "*")) {
    for (const name of names(el).map((n) => n.toLowerCase())) {
      if (name.startsWith("on")) found.push("event handler " + name + ": " + label(el));
      if (name === "formaction" || name === "srcdoc") found.push(name + ": " + label(el));
    }
  }
  const targets = [];
  for (const el of all(document, "a, area")) {
    targets.push([el, attr(el, "href") ?? Element.prototype.getAttributeNS.call(
      el, "http://www.w3.org/1999/xlink", "href")]);
  }
  for (const el of all(document, "form")) targets.push([el, attr(el, "action")]);
  for (const el of all(document, "iframe, frame, embed")) targets.push([el, attr(el, "src")]);
  for (const el of all(document, "object")) targets.push([el, attr(el, "data")]);
  for (const el of all(document, "button, input")) targets.push([el, attr(el, "formaction")]);
  for (const [el, value] of targets) {
    if (bad.has(protocol(value))) found.push("dangerous target: " + label(el));
  }
  for (const script of all(document, "script")) {
    const src = attr(script, "src");
    if (!src || !resolve(src) || !resolve(src).href.startsWith(origin + "/static/")) {
      found.push("script Porch did not ship: " + label(script));
    }
  }
  for (const el of all(document, "iframe, frame, object, embed, applet, portal")) {
    found.push("embedded content: " + label(el));
  }
  for (const el of all(document, "base[href]")) found.push("base href: " + label(el));
  for (const el of all(document, "meta[http-equiv]")) {
    if ((attr(el, "http-equiv") || "").toLowerCase() === "refresh") {
      found.push("meta refresh: " + label(el));
    }
  }
  const baseElement = all(document, "base[target]")[0];
  const baseTarget = baseElement ? attr(baseElement, "target") : "";
  for (const el of all(document, "a[href], area[href]")) {
    const target = (attr(el, "target") ?? baseTarget).toLowerCase();
    const rel = (attr(el, "rel") || "").toLowerCase().split(/\\s+/);
    // Links opened through the embed's <base target=_blank> count too, Porch's own included.
    if (target === "_blank" && !rel.includes("noopener")) {
      found.push("target=_blank without rel=noopener: " + label(el));
    }
  }
  for (const prose of all(document, ".prose")) {
    for (const el of all(prose, "*")) {
      const tag = tagOf.call(el);
      if (namespaceOf.call(el) !== "http://www.w3.org/1999/xhtml" || !allowed.tags.includes(tag)) {
        found.push("user content element " + namespaceOf.call(el) + " " + tag + ": " + label(el));
        continue;
      }
      for (const name of names(el)) {
        if (!(allowed.attributes[tag] || []).includes(name)) {
          found.push("user content attribute " + name + ": " + label(el));
        }
      }
    }
  }
  return found;
}
"""
ENTRY_PATHS = [
    "category form",
    "desk post form",
    "settings form",
    "reply form (member)",
    "reply form",
    "api reply",
    "imported posts",
    "report form",
    "api report",
    "api moderation action",
    "api ban",
    "moderator edit form",
    "embed form",
]
ALLOWED = {"tags": sorted(ARTICLE_TAGS), "attributes": ARTICLE_ATTRIBUTES}


class Watch:
    """What fired or looked wrong, by page, collected over the whole visit."""

    def __init__(self) -> None:
        self.hits: list[str] = []
        self.problems: list[str] = []
        self.pages = 0
        self.origin = ""

    def attach(self, context: BrowserContext) -> None:
        context.expose_function("__xss_report", self._report)
        context.add_init_script(SENTINEL)
        # Pictures from other hosts (a provider's avatar) load as a pixel: there is no network.
        context.route(lambda url: not url.startswith("http://127.0.0.1"), _pixel)

    def _report(self, what: str) -> None:
        self.hits.append(what)

    def on_page(self, page: Page) -> None:
        page.on("dialog", self._dialog)

    def _dialog(self, dialog: Any) -> None:
        self.hits.append(f"dialog {dialog.type}: {dialog.message}")
        dialog.dismiss()

    def visit(self, page: Page, path: str) -> None:
        """Open a page, give timers, focus and animations a moment, then check its DOM."""
        self.pages += 1
        response = page.goto(path, wait_until="load")
        status = response.status if response is not None else 0
        if status >= 400 and status != 404:
            self.problems.append(f"{path}: HTTP {status}")
        page.wait_for_timeout(120)
        self.check(page, path, origin=self.origin)

    def check(self, page: Page, where: str, origin: str | None = None) -> None:
        """The DOM checks; with `origin`, also that nothing navigated the page elsewhere."""
        if origin is not None and not page.url.startswith(origin + "/"):
            self.problems.append(f"{where}: the page went to {page.url}")
        for problem in page.evaluate(DOM_CHECK, ALLOWED):
            self.problems.append(f"{where}: {problem}")

    def assert_clean(self) -> None:
        assert self.hits == [], "payloads ran:\n" + "\n".join(self.hits[:50])
        assert self.problems == [], "unsafe markup:\n" + "\n".join(self.problems[:50])


def _pixel(route: Route) -> None:
    route.fulfill(status=200, content_type="image/png", body=PIXEL)


@pytest.fixture(scope="module")
def corpus_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Flask, Path]]:
    """One app for the module, filled once (about a minute): the tests only read it, or add
    replies of their own on a post of their own."""
    folder = tmp_path_factory.mktemp("xss")
    app = make_app(
        DATABASE_URL=f"sqlite:///{folder / 'corpus.sqlite3'}",
        WTF_CSRF_ENABLED=True,
        EMBED_ORIGINS=[EMBED_SITE],
        MAIL_DIR=str(folder / "mail"),
    )
    with app.app_context():
        db.create_all()
    try:
        yield app, folder
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture(scope="module")
def corpus_site(corpus_app: tuple[Flask, Path]) -> Site:
    return seed(*corpus_app)


@pytest.fixture
def live_app(corpus_app: tuple[Flask, Path]) -> Flask:
    """The live server serves the module's filled app (conftest's own makes an empty one)."""
    return corpus_app[0]


@pytest.fixture
def site(corpus_site: Site) -> Site:
    return corpus_site


@pytest.fixture
def mail_dir(corpus_app: tuple[Flask, Path]) -> Path:
    return corpus_app[1] / "mail"


@pytest.fixture
def watch(live_server: str) -> Iterator[Watch]:
    watched = Watch()
    watched.origin = live_server
    yield watched


def _page_for(new_page: PageFactory, watch: Watch) -> Page:
    page = new_page(bypass_csp=True)
    watch.attach(page.context)
    watch.on_page(page)
    return page


def _sign_in(page: Page, email_address: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email", exact=True).fill(email_address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()


def _reader_pages(site: Site) -> list[str]:
    thread = [f"/t/{site.thread_slug}?page={n}" for n in range(1, site.thread_pages + 1)]
    imported = [f"/t/{slug}?page={n}" for slug in site.imported_slugs for n in (1, 2, 3)]
    some = site.reply_ids[:: max(1, len(site.reply_ids) // 12)]
    return [
        "/",
        *thread,
        *imported,
        *[f"/t/{site.thread_slug}/c/{reply_id}" for reply_id in some],
        *[f"/t/{site.thread_slug}/reply?parent_id={reply_id}" for reply_id in some[:4]],
        *[f"/replies/{reply_id}/report" for reply_id in some[:4]],
        *[f"/c/{slug}" for slug in site.category_slugs],
        f"/u/{site.member_id}",
        f"/u/{site.provider_user_id}",
        "/search?q=xss+hit",
        "/search?q=script",
        *[f"/search?q={quote(p.text)}" for p in payloads()[::40]],
        *[
            f"/embed/thread?url={quote(url)}&title={quote(payloads()[n].text)}"
            for n, url in enumerate(site.embed_urls)
        ],
    ]


def _staff_pages(site: Site) -> list[str]:
    tabs = [f"/mod/queue/{tab}" for tab in ("pending", "flagged", "spam", "approved", "trash")]
    return [
        *tabs,
        *[f"/mod/queue/approved?page={n}" for n in (2, 3)],
        *[f"/mod/replies/{reply_id}" for reply_id in site.reply_ids[:60:6]],
        *[f"/mod/replies/{reply_id}" for reply_id in site.reply_ids[50:53]],  # edited
        "/mod/audit",
        "/mod/bans",
        "/mod?q=xss",
        "/mod/settings/roles",
        "/desk",
        *[f"/desk/posts/{post_id}" for post_id in site.desk_post_ids],
        "/desk/categories",
        *[f"/desk/categories/{category_id}" for category_id in site.category_ids],
        "/notifications",
    ]


@pytest.mark.timeout(900)
def test_corpus_never_runs_on_pages_readers_see(
    site: Site, new_page: PageFactory, watch: Watch
) -> None:
    assert site.stored["reply form"] + site.stored["api reply"] > 0.95 * len(payloads())
    assert all(site.stored.get(path) for path in ENTRY_PATHS), (site.stored, site.reasons)
    page = _page_for(new_page, watch)
    for path in _reader_pages(site):
        watch.visit(page, path)
    watch.assert_clean()


@pytest.mark.timeout(900)
def test_corpus_never_runs_on_pages_staff_and_members_see(
    site: Site, new_page: PageFactory, watch: Watch
) -> None:
    staff = _page_for(new_page, watch)
    _sign_in(staff, site.admin_email)
    for path in _staff_pages(site):
        watch.visit(staff, path)
    member = _page_for(new_page, watch)
    _sign_in(member, site.member_email)
    for path in ("/notifications", "/account/settings", f"/t/{site.thread_slug}"):
        watch.visit(member, path)
    watch.assert_clean()


@pytest.mark.timeout(900)
def test_corpus_never_runs_in_feeds_or_mail(
    site: Site, new_page: PageFactory, watch: Watch, mail_dir: Path
) -> None:
    page = _page_for(new_page, watch)
    feeds = [
        "/feeds/posts.atom",
        "/feeds/replies.atom",
        f"/feeds/t/{site.thread_slug}.atom",
        *[f"/feeds/c/{slug}.atom" for slug in site.category_slugs],
    ]
    for path in feeds:
        body = page.request.get(path).body()
        for problem in _feed_problems(body):
            watch.problems.append(f"{path}: {problem}")
        watch.visit(page, path)
    mails = sorted(mail_dir.glob("*.eml"))
    assert mails, "no mail was sent while the site was filled"
    for path in mails:
        for part in _html_parts(path):
            page.set_content(part, wait_until="load")
            page.wait_for_timeout(50)
            watch.check(page, f"mail {path.name}")
    watch.assert_clean()


def _feed_problems(body: bytes) -> list[str]:
    """Titles and names are text; entry content is escaped HTML holding only allowed markup."""
    found = []
    root = ET.fromstring(body)
    for content in root.iter(f"{ATOM}content"):
        if content.get("type") != "html":
            found.append(f"content of type {content.get('type')}")
        found += markup_problems(content.text or "", ARTICLE_TAGS, ARTICLE_ATTRIBUTES)
    for element in root.iter():
        if element.tag.startswith(ATOM) is False:
            found.append(f"foreign element {element.tag}")
        if element.tag == f"{ATOM}title" and element.get("type") not in (None, "text"):
            found.append(f"title of type {element.get('type')}")
    return found


def _html_parts(path: Path) -> list[str]:
    message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    return [
        part.get_content()
        for part in message.walk()  # type: ignore[attr-defined]
        if part.get_content_type() == "text/html"
    ]


@pytest.mark.timeout(300)
def test_payloads_typed_into_the_forms_stay_inert_in_previews_and_inline_replies(
    site: Site, live_app: Flask, new_page: PageFactory, watch: Watch
) -> None:
    """What porch.js and desk.js put into the page themselves (previews, the posted reply)."""
    with live_app.app_context():
        slug = make_post(title="Forms").slug
    page = _page_for(new_page, watch)
    corpus = payloads()[::12]
    for number, payload in enumerate(corpus):
        watch.visit(page, f"/t/{slug}")
        form = page.locator("#reply-form")
        form.get_by_label("Reply", exact=True).fill(payload.text)
        form.get_by_label("Name", exact=True).fill(f"Guest {number}")
        form.get_by_label("Email", exact=True).fill(f"guest{number}@example.org")
        form.get_by_role("button", name="Preview").click()
        page.wait_for_timeout(150)
        watch.check(page, f"preview of payload {payload.number}")
        form.get_by_role("button", name="Post reply").click()
        page.wait_for_timeout(200)
        watch.check(page, f"inline reply of payload {payload.number}")
    _sign_in(page, site.admin_email)
    watch.visit(page, "/desk/posts/new")
    page.get_by_label("Title").fill("Preview")
    storable = [
        p.text for p in payloads() if not re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", p.text)
    ]
    page.locator("#body").fill("\n\n".join(storable))  # the form refuses control characters
    page.get_by_role("button", name="Preview").first.click()
    # desk.js shows the preview in place; should it fall back, the server renders the page.
    expect(page.locator("[data-desk-preview-body]")).not_to_be_empty()
    page.wait_for_load_state()
    page.wait_for_timeout(200)
    watch.check(page, "desk preview")
    watch.assert_clean()
