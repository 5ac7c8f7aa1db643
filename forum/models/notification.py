"""In-app notifications for account holders: replies, mentions, likes, moderation outcomes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import UniqueConstraint
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from forum.models.base import Base
from forum.models.base import created_at
from forum.models.base import intpk
from forum.models.base import utcnow
from forum.models.content import Post
from forum.models.reply import Reply
from forum.models.user import User


class NotificationKind(StrEnum):
    REPLY = "reply"  # someone answered your reply or your post
    MENTION = "mention"  # someone wrote @you in a reply
    LIKE = "like"  # one row per liked reply, its count growing with each new liker
    APPROVED = "approved"  # a moderator approved your held reply


class Notification(Base):
    """One thing to tell one account; unique per (recipient, kind, reply), so it happens once."""

    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("recipient_id", "kind", "reply_id"),
        # The header's unread count and the newest-first page are index range scans.
        Index("ix_notification_recipient_id_read_at", "recipient_id", "read_at"),
        Index("ix_notification_recipient_id_updated_at", "recipient_id", "updated_at"),
    )

    id: Mapped[intpk]
    recipient_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    kind: Mapped[NotificationKind] = mapped_column(
        Enum(
            NotificationKind,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        )
    )
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    # Who caused it (the latest liker for likes): an account, or a guest's name as they gave it.
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    actor_name: Mapped[str | None] = mapped_column(String(80))
    count: Mapped[int] = mapped_column(default=1)  # likers so far, for "3 people liked"
    created_at: Mapped[created_at]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)  # a new like bumps it
    read_at: Mapped[datetime | None]

    recipient: Mapped[User] = relationship(foreign_keys=[recipient_id])
    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
    reply: Mapped[Reply] = relationship()
    post: Mapped[Post] = relationship()
