"""A small site with a row in every table, for export and restore tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from werkzeug.security import generate_password_hash

from forum.extensions import db
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import Ban
from forum.models import Flag
from forum.models import FlagReason
from forum.models import Identity
from forum.models import ImportRecord
from forum.models import Like
from forum.models import MailAddress
from forum.models import MailPreference
from forum.models import Notification
from forum.models import NotificationKind
from forum.models import PostRevision
from forum.models import PostStatus
from forum.models import Reply
from forum.models import ReplyRevision
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import Scope
from forum.models import Setting
from forum.models import SpamToken
from forum.models import Subscription
from forum.models import VerifiedEmail
from forum.models import Webhook
from forum.text.render import render
from tests.factories import EPOCH
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

GUEST_TOKEN = "guest-browser-token-ABCDEFGHIJKLMNOPQRSTUVWXYZ"
PASSWORD = "the admin's long password"
ADMIN_EMAIL = "admin@example.org"
TRICKY = 'Ünïcødé ✓ 日本語, a ]]> and <b>tags</b> & "quotes"'


@dataclass
class Site:
    admin_id: int
    member_id: int
    post_id: int
    reply_ids: dict[str, int]
    session_token: str
    password_hash: str


def fill_site() -> Site:
    """Accounts, a thread three levels deep (one parent younger than its child), and the rest."""
    admin = make_user(
        role=Role.ADMIN,
        email=ADMIN_EMAIL,
        display_name="Ädmin",
        password_hash=generate_password_hash(PASSWORD),
    )
    member = make_user(display_name="Member ]]> One", bio=TRICKY, locale="de")
    db.session.add(
        Identity(user_id=member.id, provider="google", subject="sub-1", email_verified=True)
    )
    category = make_category(name="Santé & soins", description=TRICKY)
    post = make_post(
        published_at=EPOCH,
        title=f"Post {TRICKY}",
        body_source=TRICKY,
        body_html=render(TRICKY),
        author_id=admin.id,
        category_id=category.id,
    )
    make_post(
        title="No category, no author",
        published_at=EPOCH + timedelta(days=300),
        status=PostStatus.DRAFT,
        comments_open=False,
        close_after_days=30,
        pinned=True,
        original_url="https://old.example.org/2019/05/no-category/",
        guid="https://old.example.org/?p=12",
        imported_as="wordpress-post",
    )
    top = make_reply(post, author_id=member.id, body_source=TRICKY, body_html=render(TRICKY))
    answer = make_reply(post, parent=top, author_id=admin.id)
    guest = make_reply(
        post,
        parent=answer,
        guest_token=GUEST_TOKEN,
        guest_url="https://ex.org/",
        ip_address="203.0.113.9",
        status=ReplyStatus.PENDING,
        decision_trace=[{"rule": "first_time", "held": True}],
        spam_score=0.25,
    )
    spam = make_reply(post, status=ReplyStatus.SPAM, spam_lesson="spam")
    trash = make_reply(post, status=ReplyStatus.TRASH)
    older = make_reply(post)
    younger = make_reply(post, parent=older)
    _swap(older, younger)  # now a parent whose id is larger than its child's
    db.session.add_all(
        [
            Like(reply_id=top.id, user_id=admin.id),
            Like(reply_id=top.id, guest_token=GUEST_TOKEN),
            Flag(
                reply_id=top.id,
                reporter_token=GUEST_TOKEN,
                reason=FlagReason.HARMFUL,
                note="worrying",
                body_snapshot=TRICKY,
            ),
            Flag(
                reply_id=spam.id,
                reporter_id=member.id,
                reason=FlagReason.SPAM,
                body_snapshot="x",
                resolved_at=EPOCH,
                resolved_by_id=admin.id,
            ),
            Ban(
                email="troll@example.org",
                reason="spam",
                created_by_id=admin.id,
                expires_at=EPOCH + timedelta(days=30),
            ),
            PostRevision(
                post_id=post.id, title="Draft title", body_source="draft", edited_by_id=admin.id
            ),
            ReplyRevision(
                reply_id=top.id,
                body_source="first",
                body_html="<p>first</p>",
                edited_by_id=member.id,
            ),
            VerifiedEmail(email="guest@example.org"),
            Subscription(email="guest@example.org", scope=Scope.THREAD, post_id=post.id),
            Subscription(user_id=member.id, scope=Scope.POSTS, category_id=category.id),
            MailPreference(user_id=admin.id, notify_replies=False),
            Webhook(
                url="https://hooks.example.org/porch",
                secret="webhook-signing-secret",
                events=["reply.created"],
                created_by_id=admin.id,
            ),
            MailAddress(email="gone@example.org", hard_failures=3, bouncing_at=EPOCH),
            ImportRecord(
                source="wordpress:https://old.example.org",
                kind="comment",
                source_id="17",
                target_id=top.id,
            ),
            SpamToken(token="viagra", spam_count=3, ham_count=0),
            Notification(
                recipient_id=member.id,
                kind=NotificationKind.REPLY,
                reply_id=answer.id,
                post_id=post.id,
                actor_id=admin.id,
                actor_name="Ädmin",
                read_at=EPOCH,
            ),
            Setting(key="moderation", value={"hold_keywords": ["dose"], "link_limit": 3}),
        ]
    )
    db.session.flush()
    first = AuditEntry(
        actor_id=admin.id,
        actor_name="Ädmin",
        action=AuditAction.SPAM,
        target_type="reply",
        target_ids=[spam.id],
        before={"status": "approved"},
        after={"status": "spam"},
    )
    db.session.add(first)
    db.session.flush()
    db.session.add(
        AuditEntry(
            actor_id=admin.id,
            actor_name="Ädmin",
            action=AuditAction.UNDO,
            target_type="reply",
            target_ids=[spam.id],
            undoes_id=first.id,
        )
    )
    db.session.commit()
    replies = {
        "top": top,
        "answer": answer,
        "guest": guest,
        "spam": spam,
        "trash": trash,
        "older_child": older,
        "younger_parent": younger,
    }
    return Site(
        admin.id,
        member.id,
        post.id,
        {k: r.id for k, r in replies.items()},
        admin.session_token,
        admin.password_hash or "",
    )


def _swap(older: Reply, younger: Reply) -> None:
    """Make the younger reply top-level and the older one its answer."""
    younger.depth = 0
    younger.place(None)
    db.session.flush()
    older.depth = 1
    older.place(younger)
    db.session.commit()
