"""Categories and posts (articles or forum topics)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey
from sqlalchemy import String
from sqlalchemy import Text
from sqlalchemy.orm import Mapped
from sqlalchemy.orm import mapped_column
from sqlalchemy.orm import relationship

from forum.models.base import Base
from forum.models.base import created_at
from forum.models.base import intpk
from forum.models.user import User


class Category(Base):
    __tablename__ = "category"

    id: Mapped[intpk]
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)

    posts: Mapped[list[Post]] = relationship(back_populates="category")


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
    # Provenance of imported posts: the page's address finds its thread (embeds, Disqus imports).
    original_url: Mapped[str | None] = mapped_column(String(2000), index=True)
    guid: Mapped[str | None] = mapped_column(String(2000))
    imported_as: Mapped[str | None] = mapped_column(String(20))  # wordpress-post, disqus-page...

    author: Mapped[User | None] = relationship()
    category: Mapped[Category | None] = relationship(back_populates="posts")
