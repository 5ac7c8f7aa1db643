"""Flask-Login glue: sessions store User.session_token, never the primary key."""

from __future__ import annotations

from functools import cache

from sqlalchemy import Select
from sqlalchemy import bindparam
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.extensions import login_manager
from forum.models import User


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Rotating a user's token (ban, password change) ends every session they have."""
    return db.session.scalar(_by_token(), {"session_token": session_token})


@cache
def _by_token() -> Select[User]:
    """Built once: every signed-in request runs it."""
    query = select(User).where(User.session_token == bindparam("session_token"))
    return query.options(joinedload(User.mail_preference))
