"""Browser-side defences on every response: walk every GET route and check its headers.

Each route is requested as the first role that gets a 200 (guest, then member, author,
moderator, admin), with its parameters filled from the seeded site (tests/security/site.py);
a route that none of them gets a 200 from must be listed in NO_200 with the reason. HTML, JSON,
Atom, SVG, CSS, JavaScript and downloads are all checked, error pages and redirects too.
"""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import pytest
from flask import Flask
from werkzeug.routing import Rule

from forum.web.embed.frame import FRAMED_ENDPOINTS
from forum.web.hooks import PERMISSIONS_POLICY
from tests.conftest import database_for
from tests.security.site import EMBED_ORIGIN
from tests.security.site import QUERIES
from tests.security.site import Site
from tests.security.site import client_as
from tests.security.site import methods_of
from tests.security.site import rules_of
from tests.security.site import seed_site
from tests.security.site import site_app

WALK_ROLES = ("guest", "member", "author", "moderator", "admin")

# Routes that answer no role with a 200 in the seeded site; their answer is checked all the same.
NO_200 = {
    "accounts.provider_callback": 400,  # no sign-in under way: the error page
    "accounts.link_confirm": 303,  # no provider sign-in waiting to be linked: back to sign in
    "moderation.index": 302,  # the dashboard opens its first queue
    "setup.show": 404,  # the site has an admin, so setup is over
}

# Every kind of answer the site gives must be seen, so the walk cannot pass by seeing none.
KINDS = {
    "text/html",
    "application/json",
    "application/atom+xml",
    "image/svg+xml",
    "text/css",
    "text/javascript",
    "application/xml",
    "text/plain",
}


def directives(policy: str) -> dict[str, list[str]]:
    parts = (item.split() for item in policy.split(";") if item.strip())
    return {words[0]: words[1:] for words in parts}


class InlineCode(HTMLParser):
    """Collects inline scripts, on*= handlers and javascript: links, which the CSP would block."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.found.append("<script> without src")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"<{tag} {name}=...>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}={value}>")


def policy_problems(header: str, framed_by: str) -> list[str]:
    """What the Content-Security-Policy lacks: no inline code, no plugins, no foreign framing."""
    policy = directives(header)
    wanted = {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": framed_by.split(),
    }
    problems = [
        f"CSP {name} is {policy.get(name)}, expected {values}"
        for name, values in wanted.items()
        if policy.get(name) != values
    ]
    if "form-action" not in policy or policy["form-action"][0] != "'self'":
        problems.append(f"CSP form-action is {policy.get('form-action')}")
    if any("unsafe" in value for values in policy.values() for value in values):
        problems.append("CSP allows something unsafe")
    return problems


def header_problems(response: Any, *, framed_by: str = "'none'") -> list[str]:
    """What is missing or wrong in one response's security headers."""
    headers = response.headers
    problems = policy_problems(headers.get("Content-Security-Policy", ""), framed_by)
    expected = {
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
    }
    for name, value in expected.items():
        if headers.get(name) != value:
            problems.append(f"{name} is {headers.get(name)!r}")
    if framed_by == "'none'" and headers.get("X-Frame-Options") != "DENY":
        problems.append("X-Frame-Options is not DENY")
    if "Strict-Transport-Security" in headers:
        problems.append("HSTS sent although not configured")
    for cookie in headers.getlist("Set-Cookie"):
        if "HttpOnly" not in cookie or "SameSite=Lax" not in cookie:
            problems.append(f"cookie without HttpOnly and SameSite=Lax: {cookie}")
    if response.mimetype == "text/html":
        parser = InlineCode()
        parser.feed(response.get_data(as_text=True))
        problems += parser.found
    return problems


@pytest.fixture(scope="module")
def walk() -> Iterator[tuple[Flask, Site]]:
    app = site_app()
    with database_for(app):
        yield app, seed_site()


def _get(app: Flask, site: Site, rule: Rule, role: str) -> Any:
    client = client_as(app, site, role)
    response = client.get(site.path(rule) + QUERIES.get(rule.endpoint, ""), buffered=True)
    response.close()  # streamed downloads hold an app context until closed
    return response


def _first_answer(app: Flask, site: Site, rule: Rule) -> Any:
    """The answer of the first role that gets a 200, else the last role's answer."""
    for role in WALK_ROLES:
        response = _get(app, site, rule, role)
        if response.status_code == 200:
            return response
    return response


def test_every_get_route_carries_the_security_headers(walk: tuple[Flask, Site]) -> None:
    app, site = walk
    wrong: list[str] = []
    kinds: set[str] = set()
    for rule in rules_of(app):
        if "GET" not in methods_of(rule):
            continue
        response = _first_answer(app, site, rule)
        kinds.add(response.mimetype)
        wanted_status = NO_200.get(rule.endpoint, 200)
        if response.status_code != wanted_status:
            wrong.append(
                f"{rule.rule} ({rule.endpoint}): {response.status_code} for every role; seed "
                "what it shows in tests/security/site.py, or list it in NO_200 with the reason"
            )
        framed_by = EMBED_ORIGIN if rule.endpoint in FRAMED_ENDPOINTS else "'none'"
        problems = header_problems(response, framed_by=framed_by)
        wrong += [f"{rule.rule}: {problem}" for problem in problems]
    assert not wrong, "\n".join(wrong)
    assert KINDS <= kinds, f"the walk saw no {KINDS - kinds} response"


def test_not_found_and_refused_pages_carry_them_too(walk: tuple[Flask, Site]) -> None:
    app, site = walk
    client = client_as(app, site, "member")
    urls = ("/no/such/page", "/mod", "/api/v1/no-such", "/t/no-such-post", "/static/nothing.css")
    for url in urls:
        response = client.get(url)
        assert response.status_code in (403, 404)
        assert header_problems(response) == [], url


def test_embed_frame_may_be_framed_only_by_the_configured_origins() -> None:
    for origins, framed_by in (([], "'none'"), (["https://a.example", "https://b.example"], None)):
        app = site_app(EMBED_ORIGINS=origins)
        with database_for(app):
            seed_site()
            response = app.test_client().get("/embed/thread?url=https://a.example/page")
            ancestors = framed_by or "https://a.example https://b.example"
            policy = directives(response.headers["Content-Security-Policy"])
            assert policy["frame-ancestors"] == ancestors.split()
            assert "X-Frame-Options" not in response.headers or framed_by == "'none'"


def _session_cookie(app: Flask) -> str:
    with database_for(app):
        seed_site()  # an admin exists, so production does not send every visitor to /setup
        client = app.test_client()
        response = client.get("/session/csrf")  # stores the token's secret in the session
        cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")]
        assert cookies, response.headers
        return cookies[0]


def test_cookies_are_secure_once_the_site_is_https() -> None:
    assert "Secure" not in _session_cookie(site_app())  # local development over http
    https = _session_cookie(site_app(SITE_URL="https://talk.example.org"))
    production = _session_cookie(
        site_app(ENV="production", SITE_URL="https://talk.example.org", TESTING=False)
    )
    for cookie in (https, production):
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_hsts_is_sent_only_when_configured() -> None:
    app = site_app(HSTS_SECONDS=31_536_000)
    with database_for(app):
        client = app.test_client()
        for url in ("/", "/static/css/porch.css", "/api/v1/categories", "/no/such/page"):
            response = client.get(url, buffered=True)
            response.close()
            assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
