"""Flask-Login glue: sessions store User.session_token, never the primary key."""

from __future__ import annotations

from functools import cache
from typing import Any

from flask import g
from flask import has_request_context
from flask import request
from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from forum.extensions import db
from forum.extensions import login_manager
from forum.models import MailPreference
from forum.models import User
from forum.services.notifying.inbox import unread_count_of

# `g` key: the header's unread count, read with the user's row (see web/inbox).
UNREAD_KEY = "unread_notifications"


def load_user(session_token: str) -> User | None:
    """Rotating a user's token (ban, password change) ends every session they have."""
    return db.session.scalar(_by_token(), {"session_token": session_token})


@login_manager.user_loader
def _load_request_user(session_token: str) -> User | None:
    """As load_user; a page read (GET) also gets the header's unread count in the same
    statement. Only a POST marks notifications read, so the count still holds at rendering."""
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return load_user(session_token)
    row = db.session.execute(_with_unread(), {"session_token": session_token}).first()
    if row is None:
        return None
    user: User
    user, unread, notify_replies = row
    setattr(g, UNREAD_KEY, unread)
    # Only its one flag is read on a page; built from a column, it spares the joined entity.
    preference = None
    if notify_replies is not None:
        preference = MailPreference(user_id=user.id, notify_replies=notify_replies)
    set_committed_value(user, "mail_preference", preference)
    return user


@cache
def _by_token() -> Select[User]:
    """Built once: every signed-in request runs it."""
    query = select(User).where(User.session_token == bindparam("session_token"))
    return query.options(joinedload(User.mail_preference))


@cache
def _with_unread() -> Select[Any]:
    notify_replies = select(MailPreference.notify_replies).where(MailPreference.user_id == User.id)
    query = select(User, unread_count_of(User.id), notify_replies.scalar_subquery())
    return query.where(User.session_token == bindparam("session_token"))
