"""Plain functions that make rows for tests; each commits so the app sees them."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from itertools import count
from typing import Any

from forum.extensions import db
from forum.models import Category
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.services.search import index as search_index
from forum.text.render import render

_sequence = count(1)
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def make_user(**fields: Any) -> User:
    n = next(_sequence)
    fields.setdefault("display_name", f"Member {n}")
    fields.setdefault("email", f"member{n}@example.org")
    fields.setdefault("role", Role.MEMBER)
    user = User(**fields)
    db.session.add(user)
    db.session.commit()
    return user


def make_category(**fields: Any) -> Category:
    n = next(_sequence)
    fields.setdefault("slug", f"category-{n}")
    fields.setdefault("name", f"Category {n}")
    category = Category(**fields)
    db.session.add(category)
    db.session.commit()
    return category


def make_post(**fields: Any) -> Post:
    n = next(_sequence)
    fields.setdefault("slug", f"post-{n}")
    fields.setdefault("title", f"Post number {n}")
    fields.setdefault("body_source", f"The body of post {n}.")
    fields.setdefault("body_html", render(fields["body_source"]))
    fields.setdefault("excerpt", fields["body_source"][:200])
    # Minutes, not days: a long test run must not push posts past today (scheduled, hidden).
    fields.setdefault("published_at", EPOCH + timedelta(minutes=n))
    post = Post(**fields)
    db.session.add(post)
    db.session.flush()
    search_index.index_post(post)  # as the posts service indexes what it saves
    db.session.commit()
    return post


def make_reply(
    post: Post, parent: Reply | None = None, commit: bool = True, **fields: Any
) -> Reply:
    """A reply placed in the tree exactly as the replying service places it."""
    n = next(_sequence)
    fields.setdefault("body_source", f"Reply text {n}")
    fields.setdefault("body_html", render(fields["body_source"]))
    fields.setdefault("status", ReplyStatus.APPROVED)
    fields.setdefault("created_at", EPOCH + timedelta(minutes=n))
    if fields.get("author") is None and fields.get("author_id") is None:
        fields.setdefault("guest_name", f"Guest {n}")
        fields.setdefault("guest_email", f"guest{n}@example.org")
    reply = Reply(post_id=post.id, depth=parent.depth + 1 if parent else 0, **fields)
    db.session.add(reply)
    db.session.flush()
    reply.place(parent)
    search_index.index_reply(reply)
    if commit:
        db.session.commit()
    return reply


def set_rules(**changes: Any) -> None:
    """Store moderation rules for this test (the rest keep their defaults)."""
    from forum.services import site_settings

    site_settings.store_moderation_settings(site_settings.ModerationSettings(**changes))
    db.session.commit()
