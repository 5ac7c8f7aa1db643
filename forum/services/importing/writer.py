"""One writer for every importer: records to rows in committed batches, each remembered once.

Every row it creates gets an import_record `(source, kind, source_id)` in the same batch, so a
second run of a file, or a run resumed after a crash, skips what is already there.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from forum.extensions import db
from forum.models import ImportRecord
from forum.models import Post
from forum.phrases import N_
from forum.services.importing import targets
from forum.services.importing.comments import CommentBatches
from forum.services.importing.records import AuthorRecord
from forum.services.importing.records import CommentRecord
from forum.services.importing.records import PageRecord
from forum.services.importing.records import PostRecord
from forum.services.importing.records import Record
from forum.services.importing.records import Skipped
from forum.services.importing.records import Source
from forum.services.importing.report import ImportReport
from forum.services.search import index as search_index

PINGS = frozenset({"pingback", "trackback"})


@dataclass(frozen=True)
class Options:
    with_pingbacks: bool = False
    batch_size: int = 200


class Writer:
    """Feed it records in file order with `write`, then call `finish` for the report."""

    def __init__(self, options: Options, on_batch: Callable[[int], None] | None = None) -> None:
        self.options = options
        self.on_batch = on_batch or (lambda done: None)
        self.report = ImportReport()
        self.source = ""
        self.seen = 0
        self.authors: dict[str, int] = {}  # login, numeric id or email -> user id
        self.targets: dict[tuple[str, str], int] = {}
        self.comments = CommentBatches(self.report)
        self.new_post_ids: list[int] = []  # created since the last commit

    def write(self, record: Record) -> None:
        self.seen += 1
        if isinstance(record, Source):
            self.source = self.comments.source = record.key
        elif isinstance(record, Skipped):
            self.report.skip(record.kind, record.reason)
        elif isinstance(record, AuthorRecord):
            self._author(record)
        elif isinstance(record, PostRecord):
            self._post(record)
        elif isinstance(record, PageRecord):
            self._page(record)
        else:
            self._comment(record)
        if self.seen % self.options.batch_size == 0:
            self._commit()

    def finish(self) -> ImportReport:
        """Comments whose parent never came are attached to their post, and reported."""
        self.comments.store()
        while self.comments.detach_orphans():
            pass
        self._commit()
        return self.report

    def _commit(self) -> None:
        """Write the batch's queued comments and commit it with its import records."""
        self.comments.store()
        # The search index learns the batch's new rows in the same transaction.
        for post_id in self.new_post_ids:
            search_index.index_post(db.session.get_one(Post, post_id))
        search_index.index_replies(self.comments.new_reply_ids)
        db.session.commit()
        self.on_batch(self.seen)
        self.new_post_ids.clear()
        self.comments.new_reply_ids.clear()

    # ---- import records ----

    def _known(self, kind: str, source_id: str) -> int | None:
        key = (kind, source_id)
        if key not in self.targets:
            found = db.session.scalar(
                select(ImportRecord.target_id).where(
                    ImportRecord.source == self.source,
                    ImportRecord.kind == kind,
                    ImportRecord.source_id == source_id,
                )
            )
            if found is None:
                return None
            self.targets[key] = found
        return self.targets[key]

    def _remember(self, kind: str, source_id: str, target_id: int) -> None:
        db.session.add(
            ImportRecord(source=self.source, kind=kind, source_id=source_id, target_id=target_id)
        )
        if kind != "comment":
            self.targets[(kind, source_id)] = target_id

    # ---- records ----

    def _author(self, record: AuthorRecord) -> None:
        user_id = self._known("author", record.source_id)
        if user_id is None:
            user, created = targets.account_for(record)
            user_id = user.id
            self._remember("author", record.source_id, user_id)
            if created:
                self.report.imported["account"] += 1
            else:
                self.report.note("author", N_("matched an existing account by email"))
        else:
            self.report.already["account"] += 1
        for key in (record.source_id, record.numeric_id, (record.email or "").lower()):
            if key:
                self.authors[key] = user_id

    def _category_id(self, record: PostRecord) -> int | None:
        if not record.category_slug:
            return None
        known = self._known("category", record.category_slug)
        if known is not None:
            return known
        category, created = targets.category_for(record.category_slug, record.category_name or "")
        self._remember("category", record.category_slug, category.id)
        if created:
            self.report.imported["category"] += 1
        return category.id

    def _post(self, record: PostRecord) -> None:
        if self._known("post", record.source_id) is not None:
            self.report.already[record.kind] += 1
            return
        post = targets.post_by_url(record.link) if record.link else None
        if post is not None:
            self.report.note(record.kind, N_("matched a post already here by its address"))
        else:
            author_id = self.authors.get(record.author_login or "")
            post = targets.new_post(record, author_id, self._category_id(record))
            self.new_post_ids.append(post.id)
            self.report.imported[record.kind] += 1
        self._remember("post", record.source_id, post.id)

    def _page(self, record: PageRecord) -> None:
        if self._known("post", record.source_id) is not None:
            self.report.already["page"] += 1
            return
        post = targets.post_by_url(record.link)
        if post is None:
            post = targets.new_page(record)
            self.new_post_ids.append(post.id)
            self.report.imported["page"] += 1
        else:
            self.report.note("thread", N_("joined a post already here with the same address"))
        self._remember("post", record.source_id, post.id)

    def _comment(self, record: CommentRecord) -> None:
        if record.kind in PINGS and not self.options.with_pingbacks:
            self.report.skip(record.kind, N_("not kept without --with-pingbacks"))
            return
        if record.kind not in PINGS | {"comment"}:
            self.report.skip("comment", f"comment type “{record.kind[:30]}” is not a comment")
            return
        post_id = self._known("post", record.post_source_id)
        if post_id is None:
            self.report.skip("comment", N_("its post is not in the file"))
            return
        self.comments.add(record, post_id, self._account(record))

    def _account(self, record: CommentRecord) -> int | None:
        """A comment written by a site author is theirs (WordPress user id, or their email)."""
        if record.user_source_id is None:
            return None
        by_id = self.authors.get(record.user_source_id)
        return by_id or self.authors.get((record.author_email or "").lower())
