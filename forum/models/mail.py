"""Mail that must not be lost: the outbox, the events that cause mail, subscriptions, bounces."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Enum
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from forum.models.base import Base
from forum.models.base import created_at
from forum.models.base import intpk

if TYPE_CHECKING:
    from forum.models.content import Category
    from forum.models.content import Post
    from forum.models.reply import Reply
    from forum.models.user import User


class MailStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"  # the address bounces or asked for no more mail


def _enum(kind: type[StrEnum]) -> Enum:
    return Enum(kind, native_enum=False, length=16, values_callable=lambda e: [m.value for m in e])


class MailMessage(Base):
    """One message in the outbox, written with the change that causes it; sent once by a worker."""

    __tablename__ = "mail_message"
    __table_args__ = (Index("ix_mail_message_status_next_attempt_at", "status", "next_attempt_at"),)

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(40))
    to_address: Mapped[str] = mapped_column(String(320), index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default=text("'{}'"))
    message_id: Mapped[str] = mapped_column(String(200), unique=True)
    thread_post_id: Mapped[int | None] = mapped_column(
        ForeignKey("post.id", ondelete="SET NULL")
    )  # thread mail: In-Reply-To / References the post's root id
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("subscription.id", ondelete="SET NULL")
    )
    status: Mapped[MailStatus] = mapped_column(_enum(MailStatus), default=MailStatus.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime]
    claimed_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    subject: Mapped[str | None] = mapped_column(String(300))  # rendered on the first attempt
    body_text: Mapped[str | None] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[created_at]


class MailEvent(Base):
    """Something that may cause mail (a reply posted or approved, a post live), fanned out later."""

    __tablename__ = "mail_event"

    id: Mapped[intpk]
    kind: Mapped[str] = mapped_column(String(30))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    key: Mapped[str | None] = mapped_column(String(80), unique=True)  # e.g. "post-live:12"
    created_at: Mapped[created_at]
    processed_at: Mapped[datetime | None] = mapped_column(index=True)


class Scope(StrEnum):
    REPLY = "reply"  # replies to one comment
    THREAD = "thread"  # new replies in one post's thread
    POSTS = "posts"  # new posts: site-wide, one category, or one series


class Delivery(StrEnum):
    EACH = "each"  # a mail per reply (gathered within the interval)
    DAILY = "daily"  # one digest a day


class Subscription(Base):
    """Who wants mail about what: an account, or a guest email (sent to once it is confirmed)."""

    __tablename__ = "subscription"
    __table_args__ = (
        Index("ix_subscription_scope_reply_id", "scope", "reply_id"),
        Index("ix_subscription_scope_post_id", "scope", "post_id"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(320), index=True)  # guests only
    scope: Mapped[Scope] = mapped_column(_enum(Scope))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    category_id: Mapped[int | None] = mapped_column(ForeignKey("category.id", ondelete="CASCADE"))
    series_name: Mapped[str | None] = mapped_column(String(200))
    mode: Mapped[Delivery] = mapped_column(_enum(Delivery), default=Delivery.EACH)
    created_at: Mapped[created_at]

    user: Mapped[User | None] = relationship()
    reply: Mapped[Reply | None] = relationship()
    post: Mapped[Post | None] = relationship()
    category: Mapped[Category | None] = relationship()


class PendingNotice(Base):
    """A reply or post a subscriber is to hear of, waiting to be gathered into one mail."""

    __tablename__ = "mail_pending"

    id: Mapped[intpk]
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("subscription.id", ondelete="CASCADE"), index=True
    )
    address: Mapped[str] = mapped_column(String(320))
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"))
    created_at: Mapped[created_at]


class MailThrottle(Base):
    """When a subscriber may next get mail about a thread: at most one per interval."""

    __tablename__ = "mail_throttle"

    address: Mapped[str] = mapped_column(String(320), primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("post.id", ondelete="CASCADE"), primary_key=True
    )
    next_at: Mapped[datetime]


class MailAddress(Base):
    """What Porch knows of an address: hard failures (bouncing), or 'stop all mail'."""

    __tablename__ = "mail_address"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    hard_failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    bouncing_at: Mapped[datetime | None]
    stopped_at: Mapped[datetime | None]  # the person asked for no more mail from the site


class MailPreference(Base):
    """An account's default for 'Notify me of replies to my comment' (on when absent)."""

    __tablename__ = "mail_preference"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), primary_key=True
    )
    notify_replies: Mapped[bool] = mapped_column(default=True)
