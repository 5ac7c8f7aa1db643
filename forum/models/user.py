"""Accounts."""

from __future__ import annotations

import secrets
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Enum
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import UniqueConstraint
from sqlalchemy import false
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from forum.models.base import Base
from forum.models.base import created_at
from forum.models.base import intpk
from forum.models.base import utcnow

if TYPE_CHECKING:
    from forum.models.mail import MailPreference


class Role(StrEnum):
    ADMIN = "admin"
    MODERATOR = "moderator"
    MEMBER = "member"


def new_session_token() -> str:
    """An unguessable id for Flask-Login; rotating it signs the user out everywhere."""
    return secrets.token_urlsafe(32)


class User(UserMixin, Base):
    __tablename__ = "user"

    id: Mapped[intpk]
    email: Mapped[str | None] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(80))
    role: Mapped[Role] = mapped_column(
        Enum(Role, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e]),
        default=Role.MEMBER,
    )
    password_hash: Mapped[str | None] = mapped_column(String(255))
    bio: Mapped[str] = mapped_column(Text, default="")
    avatar_url: Mapped[str | None] = mapped_column(String(500))
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[created_at]
    email_verified_at: Mapped[datetime | None]
    last_sign_in_at: Mapped[datetime | None]
    banned_at: Mapped[datetime | None]
    ban_reason: Mapped[str | None] = mapped_column(String(500))
    ban_expires_at: Mapped[datetime | None]  # None with banned_at set: until lifted
    # May write posts at the desk; admins always may (see security.policies.can_author).
    can_author: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The language chosen for pages and email ("de"); None: the browser's, else the site's.
    locale: Mapped[str | None] = mapped_column(String(16))

    identities: Mapped[list[Identity]] = relationship(
        back_populates="user", cascade="all, delete-orphan", order_by="Identity.id"
    )
    # Loaded with the signed-in user (security/sessions.py), so reply forms cost no query.
    mail_preference: Mapped[MailPreference | None] = relationship(viewonly=True)

    def get_id(self) -> str:
        """Flask-Login stores this token, not the primary key (see security/sessions.py)."""
        return self.session_token

    @property
    def email_verified(self) -> bool:
        return self.email is not None and self.email_verified_at is not None

    @property
    def is_banned(self) -> bool:
        if self.banned_at is None:
            return False
        return self.ban_expires_at is None or self.ban_expires_at > utcnow()

    @property
    def is_moderator(self) -> bool:
        return self.role in (Role.ADMIN, Role.MODERATOR)


class Identity(Base):
    """A way in from an outside provider: (provider, subject) names one person there.

    No provider tokens are kept; the profile facts are refreshed at each sign-in.
    """

    __tablename__ = "identity"
    __table_args__ = (UniqueConstraint("provider", "subject"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    provider: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(320))
    email_verified: Mapped[bool] = mapped_column(default=False)
    display_name: Mapped[str | None] = mapped_column(String(120))
    picture_url: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[created_at]
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="identities")
