"""Rows an import creates or finds for records: accounts, categories, posts and pages."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote

from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Category
from forum.models import Post
from forum.models import PostStatus
from forum.models import Role
from forum.models import User
from forum.models.base import utcnow
from forum.services.embed_threads import post_by_url as post_by_url
from forum.services.importing.records import AuthorRecord
from forum.services.importing.records import PageRecord
from forum.services.importing.records import PostRecord
from forum.text.names import clean_name
from forum.text.plain import plain_text
from forum.text.render import render_imported_article

SLUG_LENGTH = 180


def slugify(text: str, fallback: str) -> str:
    """Words joined by '-', accents dropped and other scripts kept, as WordPress does."""
    decomposed = unicodedata.normalize("NFKD", unquote(text))
    bare = unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )
    slug = re.sub(r"[\W_]+", "-", bare.lower()).strip("-")[:SLUG_LENGTH].strip("-")
    return slug or fallback


# Direction overrides in a title could reorder the text around it on every page that shows it.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def title_text(title: str, fallback: str) -> str:
    return _BIDI_CONTROLS.sub("", plain_text(title)).strip()[:300] or fallback


def free_slug(wanted: str) -> str:
    """The slug, or the slug with -2, -3... when a post already has it."""
    candidate, number = wanted, 1
    while db.session.scalar(select(Post.id).where(Post.slug == candidate)) is not None:
        number += 1
        candidate = f"{wanted}-{number}"
    return candidate


def account_for(author: AuthorRecord) -> tuple[User, bool]:
    """The account with the author's email, or a new one without a password; True if new."""
    email = author.email.strip().lower() if author.email and "@" in author.email else None
    if email is not None:
        existing = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if existing is not None:
            return existing, False
    user = User(
        email=email,
        display_name=clean_name(author.display_name)[:80] or "WordPress author",
        role=Role.MEMBER,
        password_hash=None,
    )
    db.session.add(user)
    db.session.flush()
    return user, True


def category_for(slug: str, name: str) -> tuple[Category, bool]:
    slug = slugify(slug, "imported")[:80]
    existing = db.session.scalar(select(Category).where(Category.slug == slug))
    if existing is not None:
        return existing, False
    category = Category(slug=slug, name=(name or slug)[:120], description="")
    db.session.add(category)
    db.session.flush()
    return category, True


def new_post(record: PostRecord, author_id: int | None, category_id: int | None) -> Post:
    body_html = render_imported_article(record.body_html)
    slug = slugify(record.slug or record.title, f"{record.kind}-{record.source_id}")
    post = Post(
        slug=free_slug(slug),
        title=title_text(record.title, f"Untitled {record.kind}"),
        body_source=record.body_html,
        body_html=body_html,
        excerpt=_excerpt(body_html),
        author_id=author_id,
        category_id=category_id,
        published_at=record.published_at,
        original_url=(record.link or None) and record.link[:2000],
        guid=(record.guid or None) and record.guid[:2000],
        imported_as=f"wordpress-{record.kind}",
        status=PostStatus.DRAFT if record.draft else PostStatus.PUBLISHED,
        comments_open=record.comments_open,
        pinned=record.pinned,
    )
    db.session.add(post)
    db.session.flush()
    return post


def new_page(record: PageRecord) -> Post:
    """A post standing for a page of another site, so its comments have a thread here."""
    title = title_text(record.title, record.link[:300])
    post = Post(
        slug=free_slug(slugify(title, f"page-{record.source_id}")),
        title=title,
        body_source="",
        body_html="",
        excerpt="",
        published_at=record.created_at or utcnow(),
        original_url=record.link[:2000],
        imported_as="disqus-page",
    )
    db.session.add(post)
    db.session.flush()
    return post


def _excerpt(body_html: str) -> str:
    words = " ".join(plain_text(body_html).split())
    return words if len(words) <= 280 else words[:279].rsplit(" ", 1)[0] + "…"
