"""Flask-Login glue: sessions store User.session_token, never the primary key."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.extensions import login_manager
from forum.models import User


@login_manager.user_loader
def load_user(session_token: str) -> User | None:
    """Rotating a user's token (ban, password change) ends every session they have."""
    return db.session.scalar(
        select(User)
        .where(User.session_token == session_token)
        .options(joinedload(User.mail_preference))
    )
