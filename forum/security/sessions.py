"""Flask-Login glue: sessions store User.session_token, never the primary key.

A page read (GET) may take the member from a copy the web layer remembers between requests
(use_remembered_members), as it remembers settings: every change to the member's row, their
notifications or mail preference is heard by such a reader (the SQLite file's change stamp,
PostgreSQL's notices, this process's own commits), and a copy also lapses after a second.
Writes (POST) always read the member's row in their own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from flask import g
from flask import has_request_context
from flask import request
from sqlalchemy import Connection
from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from forum.extensions import db
from forum.extensions import login_manager
from forum.models import MailPreference
from forum.models import User
from forum.services.notifying.inbox import unread_count_of

# `g` key: the header's unread count, read with the user's row (see web/inbox).
UNREAD_KEY = "unread_notifications"
# session.info key: where this session's page reads take the member from (use_remembered_members).
_MEMBER_SOURCE = "porch_member_source"

# A signed-in member as a page read needs them: their row (detached), unread count and whether
# they take reply mail (None: no preference stored).
MemberRow = tuple[User, int, bool | None]
# Gives a member's row by their session token (None: no such member).
MemberSource = Callable[[str], MemberRow | None]


def load_user(session_token: str) -> User | None:
    """Rotating a user's token (ban, password change) ends every session they have."""
    return db.session.scalar(_by_token(), {"session_token": session_token})


@login_manager.user_loader
def _load_request_user(session_token: str) -> User | None:
    """As load_user; a page read (GET) also gets the header's unread count in the same
    statement. Only a POST marks notifications read, so the count still holds at rendering."""
    if not has_request_context() or request.method not in ("GET", "HEAD"):
        return load_user(session_token)
    row = _page_member(session_token)
    if row is None:
        return None
    user, unread, notify_replies = row
    setattr(g, UNREAD_KEY, unread)
    # Only its one flag is read on a page; built from a column, it spares the joined entity.
    preference = None
    if notify_replies is not None:
        preference = MailPreference(user_id=user.id, notify_replies=notify_replies)
    set_committed_value(user, "mail_preference", preference)
    return user


def _page_member(session_token: str) -> MemberRow | None:
    """The member for a page read: from this session's remembered source if it has one, else
    read now."""
    source: MemberSource | None = db.session.info.get(_MEMBER_SOURCE)
    if source is None:
        row = db.session.execute(_with_unread(), {"session_token": session_token}).first()
        return None if row is None else (row[0], row[1], row[2])
    remembered = source(session_token)
    if remembered is None:
        return None
    user, unread, notify_replies = remembered
    # A remembered copy is shared between requests: this session takes its own instance of it.
    return db.session.merge(user, load=False), unread, notify_replies


def member_row(connection: Connection, session_token: str) -> MemberRow | None:
    """The member holding this token, loaded on `connection` and detached from it, with their
    unread count and reply-mail flag: what a page read takes, in one statement."""
    with Session(bind=connection) as session:
        row = session.execute(_with_unread(), {"session_token": session_token}).first()
    return None if row is None else (row[0], row[1], row[2])  # closing detached the user


def use_remembered_members(source: MemberSource) -> None:
    """Take the signed-in member of this session's page reads from `source` (see the top)."""
    db.session.info[_MEMBER_SOURCE] = source


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
