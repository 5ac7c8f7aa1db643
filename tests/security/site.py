"""A small seeded site with one of everything, and the URL of every rule in the URL map.

The security walkers (headers, authorisation matrix) request every route of the app. This
module seeds a site where each route has something to show (a post, a reply, a ban, a job...),
signs a test client in as each role, and fills every path parameter from the seed. A rule with
a parameter it cannot fill fails loudly, so a new route cannot slip past the walkers.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass
from dataclasses import field
from datetime import UTC
from datetime import datetime
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy import text
from werkzeug.routing import Rule

from forum import create_app
from forum.database import head_revision
from forum.extensions import db
from forum.models import AuditEntry
from forum.models import Identity
from forum.models import Job
from forum.models import Notification
from forum.models import Role
from forum.models import Scope
from forum.models import Subscription
from forum.models import Webhook
from forum.models.notification import NotificationKind
from forum.security.tokens import make_token
from forum.services import api_tokens
from forum.services.mail import subscriptions
from forum.services.moderation import bans
from forum.web.avatars import avatar_key
from forum.web.verification import GUEST_EMAIL_PURPOSE
from forum.web.verification import RESET_PURPOSE
from forum.web.verification import VERIFY_PURPOSE
from forum.web.verification import password_fingerprint
from tests.conftest import TEST_CONFIG
from tests.conftest import login_on
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

EMBED_ORIGIN = "https://blog.example.org"
EMBED_PAGE = f"{EMBED_ORIGIN}/2026/part-3/"

# Settings every walker's app runs with: an embed origin (so /embed/ pages answer) and one
# sign-in provider (so /account/login/<name> routes exist for a real name).
SITE_CONFIG: dict[str, Any] = {
    "EMBED_ORIGINS": [EMBED_ORIGIN],
    "OAUTH_GITHUB_CLIENT_ID": "client-id",
    "OAUTH_GITHUB_CLIENT_SECRET": "client-secret",
    "METRICS": True,
}

# Query strings some routes need to show their page rather than refuse (which page to embed).
QUERIES: dict[str, str] = {
    "embed.thread": f"?url={EMBED_PAGE}&title=Part+3",
    "embed.counts": f"?url={EMBED_PAGE}",
    "embed.report": f"?url={EMBED_PAGE}&title=Part+3",
    "search.index": "?q=reply",
}

# Who may be signed in. Tokens are API bearer tokens of the moderator with exactly one scope;
# on pages they must count for nothing (the guest's answer).
ACCOUNT_ROLES = ("member", "banned", "author", "moderator", "admin")
TOKEN_ROLES = ("token_read", "token_write", "token_moderate")
ROLES = ("guest", *ACCOUNT_ROLES, *TOKEN_ROLES)


def site_app(**overrides: Any) -> Flask:
    """An app on an in-memory database of its own, kept for a whole test module.

    (Apps from conftest's make_app are disposed after each test, and with them their memory.)
    """
    return create_app({**TEST_CONFIG, **SITE_CONFIG, "DATABASE_URL": "sqlite://", **overrides})


@dataclass
class Site:
    """Ids and secrets of the seeded rows; `values` fills path parameters by name."""

    user_ids: dict[str, int]
    bearer: dict[str, str]
    values: dict[str, Any]
    per_endpoint: dict[str, dict[str, Any]] = field(default_factory=dict)

    def path(self, rule: Rule) -> str:
        """The rule's URL with every parameter taken from the seed (endpoint's own first)."""
        own = self.per_endpoint.get(rule.endpoint, {})
        missing = [name for name in rule.arguments if name not in own and name not in self.values]
        assert not missing, (
            f"The security walkers cannot fill {missing} in {rule.rule} ({rule.endpoint}). "
            "Seed a row for it in tests/security/site.py (seed_site) and add the parameter to "
            "`values`, or to `per_endpoint` when the name means something else on this route."
        )
        arguments = {name: own.get(name, self.values.get(name)) for name in rule.arguments}
        built: str = rule.build(arguments, append_unknown=False)[1]  # type: ignore[index]
        return built


def seed_site() -> Site:
    """One of every kind of row a route can name, in an app context."""
    _stamp_head_revision()  # so /readyz finds a migrated database
    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01)
    users = {
        # A password as well as the linked sign-in, so unlinking it is allowed.
        "member": make_user(email_verified_at=datetime.now(UTC), password_hash="x"),
        "banned": make_user(banned_at=datetime.now(UTC), ban_reason="spam"),
        "author": make_user(can_author=True),
        "moderator": make_user(role=Role.MODERATOR),
        "admin": make_user(role=Role.ADMIN),
    }
    member, moderator, admin = users["member"], users["moderator"], users["admin"]
    category = make_category()
    post = make_post(category_id=category.id)
    reply = make_reply(post, author=member, created_at=datetime.now(UTC))
    identity = Identity(user_id=member.id, provider="github", subject="42")
    subscription = Subscription(user_id=member.id, scope=Scope.THREAD, post_id=post.id)
    notification = Notification(
        recipient_id=member.id, kind=NotificationKind.REPLY, reply_id=reply.id, post_id=post.id
    )
    job = Job(kind="import", params={}, created_by_id=admin.id)
    webhook = Webhook(url="https://hooks.example.org/porch", secret="s" * 32, events=["*"])
    db.session.add_all([identity, subscription, notification, job, webhook])
    db.session.commit()
    ban = bans.ban(moderator=moderator, request=bans.BanRequest(email="troll@example.org"))
    entry_id = db.session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    member_token = api_tokens.create_token(user=member, name="mine", scopes=["read"])
    bearer = {
        f"token_{scope}": api_tokens.create_token(user=moderator, name=scope, scopes=[scope]).secret
        for scope in ("read", "write", "moderate")
    }
    values = {
        "slug": post.slug,
        "reply_id": reply.id,
        "user_id": member.id,
        "post_id": post.id,
        "category_id": category.id,
        "identity_id": identity.id,
        "token_id": member_token.token.id,
        "subscription_id": subscription.id,
        "notification_id": notification.id,
        "ban_id": ban.id,
        "entry_id": entry_id,
        "job_id": job.id,
        "webhook_id": webhook.id,
        "tab": "pending",
        "name": "github",
        "key": avatar_key("guest@example.org"),
        "filename": "css/porch.css",
    }
    with db.session.no_autoflush:
        unsubscribe = subscriptions.unsubscribe_token(subscription, member.email or "")
    per_endpoint: dict[str, dict[str, Any]] = {
        "threads.category": {"slug": category.slug},
        "feeds.category": {"slug": category.slug},
        "passwords.reset": {
            "token": make_token(
                RESET_PURPOSE, {"uid": member.id, "fp": password_fingerprint(member)}
            )
        },
        "passwords.verify": {
            "token": make_token(VERIFY_PURPOSE, {"uid": member.id, "email": member.email})
        },
        "passwords.confirm_guest_email": {
            "token": make_token(GUEST_EMAIL_PURPOSE, {"email": "guest@example.org"})
        },
        **{
            endpoint: {"token": unsubscribe}
            for endpoint in (
                "mail.unsubscribe_page",
                "mail.unsubscribe",
                "mail.unsubscribe_all",
                "mail.daily_instead",
            )
        },
    }
    return Site(
        user_ids={role: user.id for role, user in users.items()},
        bearer=bearer,
        values=values,
        per_endpoint=per_endpoint,
    )


class Snapshot:
    """The seeded in-memory SQLite database, copied aside and put back after each write.

    Requests that change state (delete the reply, lift the ban, sign out) must not change what
    the next request in the walk finds, so each one starts from the seed again. Each method
    works in its own app's context: a module may hold several walkers' apps at once.
    """

    def __init__(self, app: Flask) -> None:
        self._app = app
        self._copy = sqlite3.connect(":memory:")
        self._backup(into=self._copy, reverse=False)

    def restore(self) -> None:
        self._backup(into=self._copy, reverse=True)

    def close(self) -> None:
        self._copy.close()

    def fingerprint(self) -> str:
        """A digest of every row, to prove a refused request stored nothing."""
        with self._app.app_context():
            raw = db.engine.raw_connection()
        try:
            live = raw.driver_connection
            assert isinstance(live, sqlite3.Connection)
            return hashlib.sha256("\n".join(live.iterdump()).encode()).hexdigest()
        finally:
            raw.close()

    def _backup(self, *, into: sqlite3.Connection, reverse: bool) -> None:
        with self._app.app_context():
            db.session.remove()
            assert db.engine.url.get_backend_name() == "sqlite"
            raw = db.engine.raw_connection()
        try:
            live = raw.driver_connection
            assert isinstance(live, sqlite3.Connection)
            if reverse:
                into.backup(live)
            else:
                live.backup(into)
        finally:
            raw.close()


def _stamp_head_revision() -> None:
    db.session.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
    insert = text("INSERT INTO alembic_version VALUES (:head)")
    db.session.execute(insert, {"head": head_revision()})
    db.session.commit()


def client_as(app: Flask, site: Site, role: str) -> FlaskClient:
    """A fresh client signed in as `role` (a session), or sending its bearer token."""
    from forum.models import User
    from tests.conftest import RequestScopedClient

    app.test_client_class = RequestScopedClient
    client = app.test_client()
    if role in site.user_ids:
        with app.app_context():
            user = db.session.get(User, site.user_ids[role])
            assert user is not None
            login_on(client, user)
    elif role in site.bearer:
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {site.bearer[role]}"
    return client


def rules_of(app: Flask) -> list[Rule]:
    return sorted(app.url_map.iter_rules(), key=lambda rule: (rule.rule, rule.endpoint))


def methods_of(rule: Rule) -> list[str]:
    return sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
