"""Every route × every role × every method gets the answer the ACCESS table promises.

The walk covers the whole URL map, pages and /api/v1 alike. Each request starts from the same
seeded site (tests/security/site.py), so a request that deletes or signs out changes nothing
for the next. A route missing from ACCESS fails `test_every_route_has_an_entry`.

HOW TO ADD A ROUTE: add `"blueprint.endpoint": "<class>"` to ACCESS, with a class from
CLASSES below (who may use it), or `("<class>", {role: outcome})` for the roles that differ
from their class (an outcome is "ok", "login", "refused", 400, 403 or 404, see OUTCOMES).
If the route's URL has a new parameter, seed a row for it in tests/security/site.py. If it
takes a body that must be valid to reach its permission check, add one to BODIES.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import Flask
from werkzeug.routing import Rule

from tests.conftest import database_for
from tests.security.site import EMBED_PAGE
from tests.security.site import QUERIES
from tests.security.site import ROLES
from tests.security.site import TOKEN_ROLES
from tests.security.site import Site
from tests.security.site import Snapshot
from tests.security.site import client_as
from tests.security.site import methods_of
from tests.security.site import rules_of
from tests.security.site import seed_site
from tests.security.site import site_app

Outcome = str | int
Access = str | tuple[str, dict[str, Outcome]]

# What a response may be: "ok" passed the permission check (2xx, 3xx other than to the login
# page, or 400/409/422 for a body that does not validate); "login" is sent to sign in (a 302/303
# to /account/login, or 401 from the API); "refused" is "login" or 403; a number is that status.
OUTCOMES = ("ok", "login", "refused", 400, 403, 404)

ACCOUNTS = ("member", "banned", "author", "moderator", "admin")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _staff(allowed: tuple[str, ...]) -> Any:
    """Signed-in accounts in `allowed` pass, other accounts get 403, anonymous are sent to sign in.

    Tokens are API credentials: on pages they count for nothing, so they get the guest's answer.
    """

    def expect(role: str, method: str) -> Outcome:
        if role in allowed:
            return "ok"
        if role in ACCOUNTS:
            return 403
        return "refused" if method in UNSAFE else "login"

    return expect


def _owner(role: str, method: str) -> Outcome:
    """Rows of the seeded member (their sign-ins, tokens, subscriptions): others find nothing."""
    if role == "member":
        return "ok"
    if role in ACCOUNTS:
        return 404
    return "refused" if method in UNSAFE else "login"


def _api(scope: str) -> Any:
    """The API: a token needs the scope; the session has read and write, moderators moderate."""

    def expect(role: str, method: str) -> Outcome:
        if role in TOKEN_ROLES:
            return "ok" if role == f"token_{scope}" else 403
        if scope != "moderate":
            return "ok"
        if role in ("moderator", "admin"):
            return "ok"
        return "login" if role == "guest" else 403

    return expect


CLASSES: dict[str, Any] = {
    "public": lambda role, method: "ok",  # anyone; a signed link in the URL is the authority
    "member": _staff(ACCOUNTS),  # any signed-in account, the banned one included
    "owner": _owner,
    "author": _staff(("author", "admin")),  # the desk: admins and members marked as authors
    "moderator": _staff(("moderator", "admin")),
    "admin": _staff(("admin",)),
    # The seeded reply, written by the member: only they (and for edits, moderators) may change
    # it; everyone else, guests included, is told why with a 403.
    "own_reply": lambda role, method: "ok" if role == "member" else 403,
    "own_reply_or_moderator": lambda role, method: (
        "ok" if role in ("member", "moderator", "admin") else 403
    ),
    "gone": lambda role, method: 404,  # off in this site: /setup once it has an admin
    "api_read": _api("read"),
    "api_write": _api("write"),
    "api_moderate": _api("moderate"),
    # Admins' API: the moderate scope, and an admin behind it (the seeded tokens are a
    # moderator's, so they are refused too).
    "api_admin": lambda role, method: (
        "ok" if role == "admin" else "login" if role == "guest" else 403
    ),
}

# Roles whose answer differs from their class, named once so the table reads at a glance.
BANNED_CANNOT_POST: dict[str, Outcome] = {"banned": 403}
OWN_REPLY_NOT_LIKED: dict[str, Outcome] = {"member": 403, "banned": 403}  # the member wrote it

ACCESS: dict[str, Access] = {
    # Reading
    "threads.index": "public",
    "threads.category": "public",
    "threads.show": "public",
    "threads.permalink": "public",
    "profiles.show": "public",
    "search.index": "public",
    "feeds.posts": "public",
    "feeds.replies": "public",
    "feeds.category": "public",
    "feeds.thread": "public",
    "avatars.show": "public",
    "static": "public",
    "health.favicon": "public",
    "health.show": "public",
    "health.ready": "public",
    "metrics.show": "public",
    "session_csrf.token": "public",
    # Replying, liking, reporting
    "replies.new": "public",
    "replies.create": ("public", BANNED_CANNOT_POST),
    "replies.like": ("public", OWN_REPLY_NOT_LIKED),
    "reports.new": ("public", OWN_REPLY_NOT_LIKED),
    "reports.create": ("public", OWN_REPLY_NOT_LIKED),
    # Editing and deleting one's own reply (the seeded member's); moderators may edit any
    "authoring.edit": "own_reply_or_moderator",
    "authoring.update": "own_reply_or_moderator",
    "authoring.confirm_delete": "own_reply",
    "authoring.delete": "own_reply",
    # The embed widget
    "embed.script": "public",
    "embed.thread": "public",
    "embed.counts": "public",
    "embed.reply": ("public", BANNED_CANNOT_POST),
    "embed.signin": "member",  # the first-party sign-in window: guests sign in there first
    "embed.claim": "public",  # trades a valid code for the widget's cookie; none here: 400
    "embed.sign_out": "public",
    # Guests are sent back to the frame with "sign in to like" (a 303, nothing stored).
    "embed.like": ("public", OWN_REPLY_NOT_LIKED),
    "embed.report": ("public", OWN_REPLY_NOT_LIKED),
    "embed.send_report": ("public", {**OWN_REPLY_NOT_LIKED, "guest": 400}),  # guests: sign in
    # Accounts
    "accounts.login": "public",
    "accounts.login_with_password": "public",
    "accounts.provider_start": "public",
    "accounts.provider_callback": ("public", {r: 400 for r in ROLES}),  # no sign-in under way
    "accounts.link_confirm": ("public", {r: "login" for r in ROLES}),  # no link under way
    "accounts.logout": "public",
    "accounts.signup": "public",
    "passwords.request_reset": "public",
    "passwords.reset": "public",
    "passwords.verify": "public",
    "passwords.confirm_guest_email": "public",
    "passwords.resend_verification": ("member", {"guest": 400, **{r: 400 for r in TOKEN_ROLES}}),
    "settings.show": "member",
    "settings.language": "member",
    "settings.export": "member",
    "settings.claim": "member",
    "settings.delete": "member",
    "settings.unlink": "owner",
    "api_tokens.create": "member",
    "api_tokens.revoke": "owner",
    "inbox.index": "member",
    "inbox.read_all": "member",
    "inbox.read": ("owner", {r: 403 for r in ACCOUNTS if r != "member"}),
    # Mail
    "mail.preferences": "member",
    "mail.subscribe_posts": "member",
    "mail.end": "owner",
    "mail.mode": ("owner", {r: 400 for r in ACCOUNTS}),  # the empty form fails before the lookup
    "mail.unsubscribe_page": "public",
    "mail.unsubscribe": "public",
    "mail.unsubscribe_all": "public",
    "mail.daily_instead": "public",
    # The desk
    "desk.posts.index": "author",
    "desk.posts.new": "author",
    "desk.posts.create": "author",
    "desk.posts.edit": "author",
    "desk.posts.update": "author",
    "desk.posts.unpublish": "author",
    "desk.posts.preview": "author",
    "desk.categories.index": "author",
    "desk.categories.create": "author",
    "desk.categories.edit": "author",
    "desk.categories.update": "author",
    "desk.categories.confirm_delete": "author",
    "desk.categories.delete": "author",
    "desk.categories.move": "author",
    # Moderation
    "moderation.index": "moderator",
    "moderation.queue": "moderator",
    "moderation.item": "moderator",
    "moderation.act": "moderator",
    "moderation.approve_group": "moderator",
    "moderation.branch": "moderator",
    "moderation.edit": "moderator",
    "moderation.reply": "moderator",
    "audit.index": "moderator",
    "audit.undo": "moderator",
    "bans.index": "moderator",
    "bans.create": "moderator",
    "bans.lift": "moderator",
    "bounces.index": "moderator",
    # Site settings
    "admin.roles": "admin",
    "admin.set_role": "admin",
    "admin.set_author": "admin",
    "admin.rules": "admin",
    "admin.save_rules": "admin",
    "admin.site": "admin",
    "exporting.index": "admin",
    "exporting.download_json": "admin",
    "exporting.download_wordpress": "admin",
    "importing.new": "admin",
    "importing.create": "admin",
    "importing.show": "admin",
    "importing.progress": "admin",
    "webhooks.index": "admin",
    "webhooks.create": "admin",
    "webhooks.show": "admin",
    "webhooks.delete": "admin",
    "webhooks.ping": "admin",
    "setup.show": "gone",
    "setup.create": "gone",
    "setup.provider_start": "gone",
    # API
    "api.openapi": "api_read",
    "api.categories": "api_read",
    "api.posts": "api_read",
    "api.thread": "api_read",
    "api.reply_in_context": "api_read",
    "api.create_reply": ("api_write", BANNED_CANNOT_POST),
    "api.edit_reply": ("api_write", {"guest": 403, "banned": 403, "author": 403}),
    "api.delete_reply": (
        "api_write",
        {
            "guest": 403,
            "banned": 403,
            "author": 403,
            "moderator": 403,
            "admin": 403,
            "token_write": 403,
        },  # the tokens are the moderator's, who did not write the reply
    ),
    "api.like": ("api_write", OWN_REPLY_NOT_LIKED),
    "api.report": ("api_write", OWN_REPLY_NOT_LIKED),
    "api.moderation_queue": "api_moderate",
    "api.moderate": "api_moderate",
    "api.audit_log": "api_moderate",
    "api.list_bans": "api_moderate",
    "api.create_ban": "api_moderate",
    "api.lift_ban": "api_moderate",
    "api.moderation_item": "api_moderate",
    "api.moderation_search": "api_moderate",
    "api.approve_group": "api_moderate",
    "api.moderate_branch": "api_moderate",
    "api.moderator_edit": "api_moderate",
    "api.moderator_reply": "api_moderate",
    "api.undo_entry": "api_moderate",
    "api.moderation_rules": "api_admin",
    "api.update_rules": "api_admin",
    "api.update_account": "api_admin",
}

GUEST = {"name": "Gus", "email": "gus@example.org"}
# Bodies that pass validation, for routes whose permission check comes after it (the
# banned member is refused only once there is something to post). Others get an empty body.
BODIES: dict[str, dict[str, Any]] = {
    "replies.create": {"body": "Hello there", **GUEST},
    "replies.like": {"liked": "1"},
    "reports.create": {"reason": "spam"},
    "embed.reply": {"body": "Hello there", "page_url": EMBED_PAGE, "page_title": "Part 3", **GUEST},
    "embed.like": {"liked": "1", "page_url": EMBED_PAGE, "page_title": "Part 3"},
    "embed.send_report": {"reason": "spam", "page_url": EMBED_PAGE, "page_title": "Part 3"},
    "authoring.update": {"body": "Changed words"},
    "api.create_reply": {"body": "Hello there", **GUEST},
    "api.edit_reply": {"body": "Changed words"},
    "api.like": {"liked": True},
    "api.report": {"reason": "spam"},
}


def expected(endpoint: str, role: str, method: str) -> Outcome:
    access = ACCESS[endpoint]
    name, exceptions = (access, {}) if isinstance(access, str) else access
    if role in exceptions:
        return exceptions[role]
    outcome: Outcome = CLASSES[name](role, method)
    return outcome


def outcome_of(response: Any) -> Outcome:
    """The response as one of OUTCOMES (a 5xx is returned as its number, never expected)."""
    status = response.status_code
    location = urlsplit(response.headers.get("Location", "")).path
    if status == 401 or (status in (302, 303) and location == "/account/login"):
        return "login"
    if status in (403, 404, 405) or status >= 500:
        return int(status)
    return "ok"


def matches(actual: Outcome, wanted: Outcome) -> bool:
    if wanted == "refused":
        return actual in ("login", 403)
    if wanted == 400:
        return actual == "ok"  # a 400 counts as "ok" above; the exact status is checked apart
    return actual == wanted


@pytest.fixture(scope="module")
def walk() -> Iterator[tuple[Flask, Site, Snapshot]]:
    """One seeded site for the module, on an in-memory SQLite database of its own."""
    app = site_app()
    with database_for(app):
        site = seed_site()
        snapshot = Snapshot(app)
        yield app, site, snapshot
        snapshot.close()


def request(app: Flask, site: Site, rule: Rule, method: str, role: str, **options: Any) -> Any:
    """One request as `role`, from the seed: unsafe ones restore the database first."""
    if method in UNSAFE:
        options.setdefault("headers", {"Sec-Fetch-Site": "same-origin"})
        body = BODIES.get(rule.endpoint, {})
        options["json" if rule.rule.startswith("/api/") else "data"] = body
    client = client_as(app, site, role)
    url = site.path(rule) + QUERIES.get(rule.endpoint, "")
    response = client.open(url, method=method, buffered=True, **options)
    response.close()  # streamed downloads hold an app context until closed
    return response


def test_every_route_has_an_entry(walk: tuple[Flask, Site, Snapshot]) -> None:
    app = walk[0]
    missing = sorted({rule.endpoint for rule in rules_of(app)} - set(ACCESS))
    assert not missing, (
        f"No authorisation entry for {missing}. Add each to ACCESS in "
        "tests/security/test_authorisation_matrix.py, saying who may use it (see the module's "
        "docstring: HOW TO ADD A ROUTE)."
    )
    stale = sorted(set(ACCESS) - {rule.endpoint for rule in rules_of(app)})
    assert not stale, f"ACCESS names endpoints that no longer exist: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_answer_the_table_promises(
    walk: tuple[Flask, Site, Snapshot], role: str
) -> None:
    app, site, snapshot = walk
    wrong = []
    snapshot.restore()
    for rule in rules_of(app):
        if rule.endpoint not in ACCESS:
            continue  # reported by test_every_route_has_an_entry
        for method in methods_of(rule):
            response = request(app, site, rule, method, role)
            if method in UNSAFE:
                snapshot.restore()  # the next request finds the seed as it was
            wanted = expected(rule.endpoint, role, method)
            actual = outcome_of(response)
            exact = wanted != 400 or response.status_code == 400
            if not matches(actual, wanted) or not exact:
                wrong.append(
                    f"{method} {rule.rule} ({rule.endpoint}): {response.status_code}, "
                    f"expected {wanted}"
                )
    assert not wrong, f"As {role}:\n" + "\n".join(wrong)


def test_methods_a_route_does_not_take_get_405(walk: tuple[Flask, Site, Snapshot]) -> None:
    app, site, _ = walk
    client = client_as(app, site, "admin")
    wrong = []
    for rule in rules_of(app):
        for method in sorted({"GET", "POST", "PUT", "PATCH", "DELETE"} - set(methods_of(rule))):
            if any(
                other.rule == rule.rule and method in (other.methods or ())
                for other in rules_of(app)
            ):
                continue  # another rule serves this method at the same address
            status = client.open(site.path(rule), method=method).status_code
            if status != 405:
                wrong.append(f"{method} {rule.rule}: {status}")
    assert not wrong, "\n".join(wrong)


# Their signed link is the authority: a mail client's one-click POST (RFC 8058) carries no
# token and no Origin. A browser on another site is still refused by the Origin check.
SIGNED_LINK_NEEDS_NO_TOKEN = frozenset(
    {"mail.unsubscribe", "mail.unsubscribe_all", "mail.daily_instead"}
)
FOREIGN = ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"})


@pytest.fixture(scope="module")
def csrf_walk() -> Iterator[tuple[Flask, Site, Snapshot]]:
    """The same site with CSRF protection on, as in production."""
    app = site_app(WTF_CSRF_ENABLED=True)
    with database_for(app):
        site = seed_site()
        snapshot = Snapshot(app)
        yield app, site, snapshot
        snapshot.close()


def _unsafe_routes(app: Flask) -> list[tuple[Rule, str, str]]:
    """Each state-changing (rule, method) with a role allowed to use it, so only CSRF refuses."""
    found = []
    for rule in rules_of(app):
        for method in sorted(set(methods_of(rule)) & UNSAFE):
            roles = ("member", "admin", "guest")
            allowed = [r for r in roles if expected(rule.endpoint, r, method) == "ok"]
            found.append((rule, method, (allowed or ["admin"])[0]))
    return found


def _refused_as_forgery(response: Any, api: bool) -> bool:
    text = response.get_data(as_text=True)
    if api:
        return response.status_code == 403 and "csrf_failed" in text
    return response.status_code == 400 and "CSRF token" in text


def test_every_state_change_without_a_token_or_origin_is_refused(
    csrf_walk: tuple[Flask, Site, Snapshot],
) -> None:
    app, site, snapshot = csrf_walk
    wrong = []
    for rule, method, role in _unsafe_routes(app):
        if rule.endpoint in SIGNED_LINK_NEEDS_NO_TOKEN:
            assert "token" in rule.arguments, rule.rule
            continue
        snapshot.restore()
        before = snapshot.fingerprint()
        response = request(app, site, rule, method, role, headers={})
        if not _refused_as_forgery(response, rule.rule.startswith("/api/")):
            wrong.append(f"{method} {rule.rule} as {role}: {response.status_code}")
        elif snapshot.fingerprint() != before:
            wrong.append(f"{method} {rule.rule} as {role}: refused, but the database changed")
    assert not wrong, "Accepted without a CSRF token or same-origin proof:\n" + "\n".join(wrong)


@pytest.mark.parametrize("headers", FOREIGN, ids=["origin", "sec-fetch-site"])
def test_every_state_change_from_another_site_is_refused(
    csrf_walk: tuple[Flask, Site, Snapshot], headers: dict[str, str]
) -> None:
    app, site, snapshot = csrf_walk
    token = client_as(app, site, "admin").get("/session/csrf").get_json()["csrf_token"]
    wrong = []
    for rule, method, role in _unsafe_routes(app):
        snapshot.restore()
        before = snapshot.fingerprint()
        # Even with a token in the form: the browser says another site sent it.
        response = request(app, site, rule, method, role, headers={**headers, "X-CSRFToken": token})
        if response.status_code != 403:
            wrong.append(f"{method} {rule.rule} as {role}: {response.status_code}")
        elif snapshot.fingerprint() != before:
            wrong.append(f"{method} {rule.rule} as {role}: refused, but the database changed")
    assert not wrong, f"Accepted from another site ({headers}):\n" + "\n".join(wrong)


def test_tokens_carry_no_more_than_their_owner_may_do(walk: tuple[Flask, Site, Snapshot]) -> None:
    """A token keeps working after its owner is banned or demoted, but only for what they may."""
    from forum.extensions import db
    from forum.models import Role
    from forum.models import User
    from forum.services import api_tokens

    app, site, snapshot = walk
    with app.app_context():  # this walk's database, whichever other walk came before
        banned = db.session.get(User, site.user_ids["banned"])
        moderator = db.session.get(User, site.user_ids["moderator"])
        assert banned is not None and moderator is not None
        writes = api_tokens.create_token(user=banned, name="w", scopes=["read", "write"])
        moderates = api_tokens.create_token(user=moderator, name="m", scopes=["moderate"])
        moderator.role = Role.MEMBER  # demoted after making the token
        db.session.commit()
    client = client_as(app, site, "guest")
    slug, reply_id = site.values["slug"], site.values["reply_id"]
    as_banned = {"Authorization": f"Bearer {writes.secret}"}
    posted = client.post(f"/api/v1/posts/{slug}/replies", json={"body": "Hi"}, headers=as_banned)
    liked = client.put(f"/api/v1/replies/{reply_id}/like", json={"liked": True}, headers=as_banned)
    as_demoted = {"Authorization": f"Bearer {moderates.secret}"}
    queue = client.get("/api/v1/moderation/queue", headers=as_demoted)
    snapshot.restore()
    assert (posted.status_code, liked.status_code, queue.status_code) == (403, 403, 403)
