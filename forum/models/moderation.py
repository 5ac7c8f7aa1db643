"""Moderation records: reports, bans, the audit log, stored settings and the spam model."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
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
from forum.models.user import User


def _enum(kind: type[StrEnum]) -> Enum:
    """Statuses are stored by value, as plain strings."""
    return Enum(kind, native_enum=False, length=24, values_callable=lambda e: [m.value for m in e])


class FlagReason(StrEnum):
    SPAM = "spam"
    ABUSE = "abuse"
    HARMFUL = "harmful"  # harmful advice: the topic this community cares most about
    OTHER = "other"


class Flag(Base):
    """A report of a reply; keeps a copy of the text as it was when reported."""

    __tablename__ = "flag"
    __table_args__ = (
        UniqueConstraint("reply_id", "reporter_id"),
        UniqueConstraint("reply_id", "reporter_token"),
    )

    id: Mapped[intpk]
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    reporter_token: Mapped[str | None] = mapped_column(String(64))
    reporter_ip: Mapped[str | None] = mapped_column(String(45))
    reason: Mapped[FlagReason] = mapped_column(_enum(FlagReason))
    note: Mapped[str] = mapped_column(Text, default="")
    body_snapshot: Mapped[str] = mapped_column(Text)
    created_at: Mapped[created_at]
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class Ban(Base):
    """Keeps an account, an email address or an IP range from posting, until lifted or expired."""

    __tablename__ = "ban"

    id: Mapped[intpk]
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(320), index=True)
    ip_range: Mapped[str | None] = mapped_column(String(49))  # CIDR, e.g. 203.0.113.0/24
    reason: Mapped[str] = mapped_column(String(500), default="")
    expires_at: Mapped[datetime | None]
    created_at: Mapped[created_at]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    lifted_at: Mapped[datetime | None]
    lifted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))

    user: Mapped[User | None] = relationship(foreign_keys=[user_id])


class AuditAction(StrEnum):
    APPROVE = "approve"
    TRASH = "trash"
    SPAM = "spam"
    NOT_SPAM = "not_spam"
    RESTORE = "restore"
    EDIT = "edit"
    MODERATOR_REPLY = "moderator_reply"
    RESOLVE_FLAGS = "resolve_flags"
    KEEP = "keep"  # reports dismissed, the reply kept up
    HIDE_FLAGGED = "hide_flagged"  # automatic: enough reports hid a reply pending review
    HOLD_BRANCH = "hold_branch"
    TRASH_BRANCH = "trash_branch"
    LOCK_BRANCH = "lock_branch"
    UNLOCK_BRANCH = "unlock_branch"
    COLLAPSE_BRANCH = "collapse_branch"
    BAN = "ban"
    LIFT_BAN = "lift_ban"
    SET_ROLE = "set_role"
    UPDATE_RULES = "update_rules"
    UPDATE_SETTINGS = "update_settings"
    UNDO = "undo"


class AuditEntry(Base):
    """One moderation or admin action: who, what, which items, before and after. Insert-only."""

    __tablename__ = "audit_entry"

    id: Mapped[intpk]
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    actor_name: Mapped[str] = mapped_column(String(80))  # kept if the account goes
    action: Mapped[AuditAction] = mapped_column(_enum(AuditAction), index=True)
    target_type: Mapped[str] = mapped_column(String(24))  # "reply", "user", "ban", "settings"
    target_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    before: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[created_at]
    undoes_id: Mapped[int | None] = mapped_column(ForeignKey("audit_entry.id", ondelete="SET NULL"))

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])


class Setting(Base):
    """Site settings edited in the dashboard, one JSON value per key; defaults live in code."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class ReplyRevision(Base):
    """The text of a reply before an edit, so edits never lose what was there."""

    __tablename__ = "reply_revision"

    id: Mapped[intpk]
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"), index=True)
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The reply's own author edited it (a guest has no account id to put in edited_by_id).
    by_author: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[created_at]


class VerifiedEmail(Base):
    """A guest email confirmed through a signed link: only these count as 'previously approved'."""

    __tablename__ = "verified_email"

    email: Mapped[str] = mapped_column(String(320), primary_key=True)
    verified_at: Mapped[created_at]


class SpamToken(Base):
    """Naive Bayes counts: how often a token appeared in replies judged spam and not spam."""

    __tablename__ = "spam_token"

    token: Mapped[str] = mapped_column(String(120), primary_key=True)
    spam_count: Mapped[int] = mapped_column(default=0)
    ham_count: Mapped[int] = mapped_column(default=0)
