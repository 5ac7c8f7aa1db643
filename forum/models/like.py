"""Likes: at most one per reply per account, or per guest browser."""

from __future__ import annotations

from sqlalchemy import CheckConstraint
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column

from forum.models.base import Base
from forum.models.base import created_at
from forum.models.base import intpk


class Like(Base):
    __tablename__ = "like"
    __table_args__ = (
        UniqueConstraint("reply_id", "user_id"),
        UniqueConstraint("reply_id", "guest_token"),
        CheckConstraint("(user_id IS NULL) <> (guest_token IS NULL)", name="one_liker"),
    )

    id: Mapped[intpk]
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    guest_token: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[created_at]
