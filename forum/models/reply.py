"""Replies: one row per comment, placed in its thread by a materialised path."""

from __future__ import annotations

import hashlib
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON
from sqlalchemy import Enum
from sqlalchemy import ForeignKey
from sqlalchemy import Index
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import event
from sqlalchemy import false
from sqlalchemy import func
from sqlalchemy import text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from forum.models.base import Base
from forum.models.base import created_at
from forum.models.base import intpk
from forum.models.content import Post
from forum.models.user import User

PATH_SEGMENT_WIDTH = 10  # zero-padded ids sort as text in numeric order


def body_digest(source: str) -> str:
    """A text's key in ix_reply_body_hash_created_at: the spam filter counts a text's repeats
    of the last day by it (then compares the text itself, so a collision costs only a read)."""
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def placed_under(parent: Reply | None, reply_id: int) -> tuple[int | None, str, int | None]:
    """A reply's parent id, path and root id under `parent`, once it has its id."""
    own = path_segment(reply_id)
    if parent is None:
        return None, own, reply_id
    return parent.id, f"{parent.path}/{own}", parent.root_id


def _digest_default(context: Any) -> str:
    """body_hash for a Core INSERT that gives only body_source (the importer's rows)."""
    return body_digest(context.get_current_parameters()["body_source"])


class ReplyStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    SPAM = "spam"
    TRASH = "trash"


def path_segment(reply_id: int) -> str:
    """One path component: the id, zero-padded so string order equals id order."""
    return str(reply_id).zfill(PATH_SEGMENT_WIDTH)


class Reply(Base):
    __tablename__ = "reply"
    __table_args__ = (
        # A whole thread, or one root's subtree, in display order is one index range scan.
        Index("ix_reply_post_id_path", "post_id", "path"),
        # A thread's approved count, and a new top-level reply's number (its approved earlier
        # roots), read this index alone, not the rows (on PostgreSQL, the partial indexes below).
        Index(
            "ix_reply_post_id_depth_status_deleted_at_created_at",
            "post_id",
            "depth",
            "status",
            "deleted_at",
            "created_at",
        ),
        Index("ix_reply_root_id", "root_id"),
        # A moderation tab, newest or oldest first, is one index range scan however long.
        Index("ix_reply_status_created_at", "status", "created_at", "id"),
        # The Pending tab's "held, by reason" counts: an index-only scan, not a table scan.
        Index("ix_reply_status_held_reason", "status", "held_reason"),
        # The site's newest replies (the replies feed, backtests) by date.
        Index("ix_reply_created_at", "created_at"),
        # The flood rule asks on every post for the author's replies of the last seconds, by
        # browser, email or address. Without an index for the address, both databases read
        # every reply the whole site got in those seconds instead: in a flood, thousands.
        Index("ix_reply_ip_address_created_at", "ip_address", "created_at"),
        # The spam filter's repeats (today's replies with the same text): the text's few rows.
        Index("ix_reply_body_hash_created_at", "body_hash", "created_at"),
    )

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"))
    # The top-level ancestor (itself for top-level replies): lets a page load whole subtrees.
    root_id: Mapped[int | None] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"))
    # Ancestor ids and its own id, each zero-padded, joined by "/".
    path: Mapped[str] = mapped_column(String(2000), default="")
    depth: Mapped[int] = mapped_column(default=0)
    status: Mapped[ReplyStatus] = mapped_column(
        Enum(
            ReplyStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=ReplyStatus.PENDING,
    )
    body_source: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    # body_digest(body_source), kept with it on every write (see _rehash and _digest_default).
    body_hash: Mapped[str | None] = mapped_column(String(16), default=_digest_default)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    guest_name: Mapped[str | None] = mapped_column(String(80))
    guest_email: Mapped[str | None] = mapped_column(String(320))
    guest_url: Mapped[str | None] = mapped_column(String(500))
    # Random token of the guest's browser: shows them their held replies and their likes.
    guest_token: Mapped[str | None] = mapped_column(String(64), index=True)
    ip_address: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    like_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[created_at]
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    # Moderation: why the reply got its first status, step by step, and who changed it since.
    decision_trace: Mapped[list[dict[str, Any]]] = mapped_column(
        JSON, default=list, server_default=text("'[]'")
    )
    held_reason: Mapped[str | None] = mapped_column(String(40), index=True)
    spam_score: Mapped[float | None]
    # What a moderator's decision on this reply taught the spam filter: "spam", "ham" or None.
    spam_lesson: Mapped[str | None] = mapped_column(String(4))
    notify_author: Mapped[bool] = mapped_column(default=False, server_default=false())
    moderated_at: Mapped[datetime | None]
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    locked_at: Mapped[datetime | None]  # no new replies below this one
    collapsed: Mapped[bool] = mapped_column(default=False, server_default=false())  # shown folded

    post: Mapped[Post] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    parent: Mapped[Reply | None] = relationship(remote_side="Reply.id", foreign_keys=[parent_id])
    moderated_by: Mapped[User | None] = relationship(foreign_keys=[moderated_by_id])

    @property
    def author_name(self) -> str:
        if self.author is not None:
            return self.author.display_name
        return self.guest_name or "Anonymous"

    def place(self, parent: Reply | None) -> None:
        """Set parent, path and root from the parent; call once the reply has its id."""
        self.parent_id, self.path, self.root_id = placed_under(parent, self.id)

    @property
    def ancestor_ids(self) -> list[int]:
        """Ids from the root down to the parent, read from the path."""
        return [int(segment) for segment in self.path.split("/")[:-1]]


@event.listens_for(Reply.body_source, "set")
def _rehash(target: Reply, value: str, _old: Any, _initiator: Any) -> None:
    """A new or edited text gets its digest at once, whoever sets it (posting, edits, imports)."""
    target.body_hash = body_digest(value) if value is not None else None


# A guest's record by email, case-insensitive: the queue's author history, the first-time rule
# and email bans read `lower(guest_email)`. (SQLite cannot reflect an expression index: Alembic
# warns and skips it when comparing there; PostgreSQL compares it.)
Index("ix_reply_guest_email_lower", func.lower(Reply.guest_email))

# Partial indexes a thread's counts take whatever the planner believes. PostgreSQL's statistics
# know nothing of a new thread (or of one that grew since the last ANALYZE), so it took the count
# of a thread's approved replies, or the check for any answers, for a row or two and read them
# from ix_reply_post_id_path row by row: every post to a thread of 3,000 held replies read them
# all three times (5 ms). These hold only the rows such counts ask for, so no other index looks
# cheaper. The queries spell the WHERE out as literals (threads.approved_live): a bound parameter
# can't show a prepared statement's generic plan that the index applies.
_APPROVED_LIVE = text("status = 'approved' AND deleted_at IS NULL")
Index(
    "ix_reply_approved_post_id_depth_created_at",
    Reply.post_id,
    Reply.depth,
    Reply.created_at,
    Reply.id,
    postgresql_where=_APPROVED_LIVE,
    sqlite_where=_APPROVED_LIVE,
)
_ANSWER = text("depth > 0")
Index("ix_reply_answers_post_id", Reply.post_id, postgresql_where=_ANSWER, sqlite_where=_ANSWER)
