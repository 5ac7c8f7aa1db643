"""Categories and posts (articles or forum topics)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Enum
from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy import false
from sqlalchemy import true
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from forum.models.base import Base
from forum.models.base import created_at
from forum.models.base import intpk
from forum.models.base import utcnow
from forum.models.user import User


class Category(Base):
    __tablename__ = "category"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    posts: Mapped[list[Post]] = relationship(back_populates="category")


class PostStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"  # live once published_at has passed; "scheduled" before that


class Post(Base):
    __tablename__ = "post"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    body_source: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    excerpt: Mapped[str] = mapped_column(String(500), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("category.id", ondelete="SET NULL"), index=True
    )
    series_name: Mapped[str | None] = mapped_column(String(200))
    series_position: Mapped[int | None]
    series_total: Mapped[int | None]
    published_at: Mapped[datetime] = mapped_column(index=True)
    created_at: Mapped[created_at]
    # Posts from before the desk (and from the demo) were all public: the defaults keep them so.
    status: Mapped[PostStatus] = mapped_column(
        Enum(
            PostStatus,
            native_enum=False,
            length=16,
            values_callable=lambda e: [m.value for m in e],
        ),
        default=PostStatus.PUBLISHED,
        server_default=PostStatus.PUBLISHED.value,
    )
    updated_at: Mapped[datetime | None]
    comments_open: Mapped[bool] = mapped_column(default=True, server_default=true())
    close_after_days: Mapped[int | None]  # None: the site's moderation setting; 0: never
    pinned: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Provenance of imported posts: the page's address finds its thread (embeds, Disqus imports).
    original_url: Mapped[str | None] = mapped_column(String(2000), index=True)
    guid: Mapped[str | None] = mapped_column(String(2000))
    imported_as: Mapped[str | None] = mapped_column(String(20))  # wordpress-post, disqus-page...
    # Goes up with every change to what the post's pages show: page-cache keys and ETags use it.
    version: Mapped[int] = mapped_column(default=1, server_default="1")

    author: Mapped[User | None] = relationship()
    category: Mapped[Category | None] = relationship(back_populates="posts")

    def is_live(self, now: datetime | None = None) -> bool:
        """Readers see it: published, and its publication time has come."""
        return self.status is PostStatus.PUBLISHED and self.published_at <= (now or utcnow())

    @property
    def is_scheduled(self) -> bool:
        return self.status is PostStatus.PUBLISHED and self.published_at > utcnow()


class PostRevision(Base):
    """A post's title and text before an edit, and who made that edit."""

    __tablename__ = "post_revision"

    id: Mapped[intpk]
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    body_source: Mapped[str] = mapped_column(Text)
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]

    edited_by: Mapped[User | None] = relationship()
