"""Every form, fed hostile values: never a 500, and a refused submission stores nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import given

from forum.models import Role
from forum.models import User
from forum.models.base import utcnow
from tests.conftest import login_on
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.security.fuzz.values import FUZZ
from tests.security.fuzz.values import form_fields
from tests.security.fuzz.values import row_counts
from tests.security.fuzz.values import shared_site
from tests.security.fuzz.values import urlencoded

SITE = "https://blog.example.org"
REPLY = {"body": "Hello there", "name": "Gwen Guest", "email": "gwen@example.org", "url": ""}
REPLY |= {"parent_id": "", "remember": "", "notify": "", "notify_replies": "", "preview": ""}
REPLY |= {"notify_thread": "", "notify_posts": ""}
EMBED = {"page_url": f"{SITE}/page/", "page_title": "Page", "page_theme": "light", "frame": ""}
RULES = {"hold_all": "", "hold_first_time": "", "link_limit": "2", "hold_keywords": ""}
RULES |= {"spam_keywords": "", "spam_emails": "", "spam_ips": "", "close_after_days": "0"}
RULES |= {"flood_seconds": "0", "flag_threshold": "3", "spam_honest_percent": "5"}
RULES |= {"spam_hold_percent": "20", "spam_threshold": "1", "spam_hold_threshold": "1"}
RULES |= {"spam_min_decisions": "20", "notify_moderators": "", "daily_digest": ""}
RULES |= {"edit_window_minutes": "15"}
DESK_POST = {"title": "A post", "slug": "", "category_id": "", "series_name": ""}
DESK_POST |= {"series_position": "", "series_total": "", "body": "Body text", "excerpt": ""}
DESK_POST |= {"publish_at": "", "comments_open": "y", "close_after_days": "", "pinned": ""}
DESK_POST |= {"action": "publish"}
MOD_QUEUE = {"tab": "", "page": "1", "author": "", "q": "", "post": "", "sort": ""}

# (who, method, url, a valid submission); {reply}, {own}, {member} come from the seed.
FORMS: list[tuple[str | None, str, str, dict[str, str]]] = [
    (None, "POST", "/t/fuzz/replies", REPLY),
    (None, "POST", "/embed/thread", EMBED | REPLY),
    (
        None,
        "POST",
        "/account/signup",
        {
            "display_name": "Nova",
            "email": "nova@example.org",
            "password": "a long passphrase",
            "next": "/",
        },
    ),
    (
        None,
        "POST",
        "/account/login",
        {"email": "member@example.org", "password": "pass phrase", "next": "/"},
    ),
    (None, "POST", "/account/reset", {"email": "member@example.org"}),
    (None, "POST", "/replies/{reply}/report", {"reason": "spam", "note": "Looks like spam"}),
    (None, "POST", "/replies/{reply}/like", {"liked": "1"}),
    (None, "GET", "/search", {"q": "hello", "page": "1", "sort": ""}),
    (None, "GET", "/t/fuzz", {"page": "1", "sort": "newest"}),
    (None, "GET", "/", {"page": "1"}),
    (
        None,
        "GET",
        "/embed/thread",
        {
            "url": f"{SITE}/page/",
            "title": "Page",
            "theme": "light",
            "frame": "",
            "page": "",
            "sort": "",
        },
    ),
    (None, "GET", "/embed/counts", {"url": f"{SITE}/page/"}),
    ("member", "POST", "/t/fuzz/replies", REPLY),
    (
        "member",
        "POST",
        "/account/settings",
        {"display_name": "Fuzz Member", "bio": "", "avatar": "generated"},
    ),
    (
        "member",
        "POST",
        "/account/settings/tokens",
        {"name": "script", "read": "y", "write": "", "moderate": ""},
    ),
    ("member", "POST", "/replies/{own}/edit", {"body": "Edited text"}),
    ("member", "POST", "/mail/preferences", {"notify_replies": "y"}),
    ("member", "POST", "/mail/subscriptions", {"target": "site", "mode": "each"}),
    ("admin", "POST", "/desk/posts/new", DESK_POST),
    ("admin", "POST", "/desk/preview", {"body": "Body", "title": "Title"}),
    ("admin", "POST", "/desk/categories", {"name": "Cat", "slug": "", "description": ""}),
    ("admin", "POST", "/mod/settings/rules", RULES),
    ("admin", "POST", "/mod/settings/site", {"site_name": "Porch", "time_zone": "UTC"}),
    (
        "admin",
        "POST",
        "/mod/settings/webhooks",
        {"url": "http://127.0.0.1:1/", "events": "reply.held"},
    ),
    (
        "admin",
        "POST",
        "/mod/bans",
        {
            "target": "email",
            "value": "spam@example.org",
            "reason": "spam",
            "days": "",
            "remove_replies": "",
        },
    ),
    (
        "admin",
        "POST",
        "/mod/act",
        {"ids": "{reply}", "action": "approve", "single": "", "reason": "", "next": ""},
    ),
    ("admin", "POST", "/mod/replies/{reply}/reply", {"body": "A moderator's answer"}),
    ("admin", "POST", "/mod/replies/{reply}/edit", {"body": "Edited", "reason": "typo"}),
    ("admin", "POST", "/mod/settings/roles/{member}", {"role": "member"}),
    ("admin", "GET", "/mod", MOD_QUEUE),
    ("admin", "GET", "/mod/audit", {"page": "1", "action": "", "actor": ""}),
]


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[Flask, dict[str, Any]]]:
    with shared_site(EMBED_ORIGINS=SITE) as app:
        yield app, _seed()


def _seed() -> dict[str, Any]:
    users = {
        "member": make_user(display_name="Fuzz Member", email_verified_at=utcnow()),
        "admin": make_user(display_name="Fuzz Admin", role=Role.ADMIN),
    }
    post = make_post(slug="fuzz", category=make_category(), original_url=f"{SITE}/page/")
    reply = make_reply(post)
    own = make_reply(post, author=users["member"], created_at=utcnow())  # still editable
    return {"users": users, "reply": reply.id, "own": own.id, "member": users["member"].id}


def _client(app: Flask, who: User | None) -> FlaskClient:
    client = app.test_client()
    if who is not None:
        login_on(client, who)
    return client


@pytest.mark.parametrize(
    ("who", "method", "url", "valid"), FORMS, ids=[f"{w}:{m}:{u}" for w, m, u, _ in FORMS]
)
def test_form_never_fails_and_refusals_store_nothing(
    site: tuple[Flask, dict[str, Any]],
    who: str | None,
    method: str,
    url: str,
    valid: dict[str, str],
) -> None:
    app, seed = site
    client = _client(app, seed["users"].get(who) if who else None)
    path = url.format(**seed)

    @given(fields=form_fields({k: v.format(**seed) for k, v in valid.items()}))
    @FUZZ
    def submit(fields: list[tuple[str, bytes]]) -> None:
        before = row_counts() if method == "POST" else {}
        body = urlencoded(fields)
        if method == "GET":
            response = client.get(
                f"{path}?{body.decode()}", headers={"Sec-Fetch-Site": "same-origin"}
            )
        else:
            response = client.post(
                path,
                data=body,
                headers={
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Sec-Fetch-Site": "same-origin",
                },
            )
        assert response.status_code < 500, (path, fields)
        if method == "POST" and response.status_code >= 400:
            assert row_counts() == before, (path, fields, response.status_code)

    submit()
