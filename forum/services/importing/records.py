"""Plain records the export readers yield and the writer stores: no XML, no models."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from forum.i18n import _
from forum.models import ReplyStatus


@dataclass(frozen=True)
class Source:
    """Where the records come from; `key` keeps ids of two sites apart in import_record."""

    key: str


@dataclass(frozen=True)
class AuthorRecord:
    source_id: str  # the author's login (WordPress comments refer to it by id or email)
    numeric_id: str | None
    email: str | None
    display_name: str


@dataclass(frozen=True)
class PostRecord:
    source_id: str
    kind: str  # post or page
    title: str
    slug: str
    link: str | None
    guid: str | None
    body_html: str
    published_at: datetime
    author_login: str | None
    category_slug: str | None
    category_name: str | None
    draft: bool = False  # a WordPress draft: imported as a draft at the desk
    comments_open: bool = True
    pinned: bool = False  # "sticky" in WordPress


@dataclass(frozen=True)
class PageRecord:
    """A page another system holds comments for (a Disqus thread): found or created by URL."""

    source_id: str
    link: str
    title: str
    created_at: datetime | None


@dataclass(frozen=True)
class CommentRecord:
    source_id: str
    post_source_id: str
    parent_source_id: str | None
    kind: str  # comment, pingback, trackback
    status: ReplyStatus
    body_html: str
    created_at: datetime
    author_name: str
    author_email: str | None
    author_url: str | None
    ip_address: str | None
    user_source_id: str | None  # the site account that wrote it, if any


@dataclass(frozen=True)
class Skipped:
    """Something in the file that will not be imported, and why (counted in the report)."""

    kind: str
    source_id: str
    reason: str


Record = Source | AuthorRecord | PostRecord | PageRecord | CommentRecord | Skipped


class ImportFileError(ValueError):
    """The file cannot be read as this kind of export; `message` names the line and the reason."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        # Said in the admin's language when the upload is checked; in English by the worker.
        if line:
            self.message = _(
                "The file could not be imported (line %(line)d: %(reason)s). Nothing was imported.",
                line=line,
                reason=reason,
            )
        else:
            self.message = _(
                "The file could not be imported (%(reason)s). Nothing was imported.", reason=reason
            )
        super().__init__(self.message)
        self.line = line
