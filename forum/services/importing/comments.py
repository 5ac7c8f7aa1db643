"""Comments to replies in bulk: per batch one lookup, one insert and one update, not one per row.

A reply's path holds its own id, so the batch is inserted first (ids returned in order), then
parents, roots and paths are set in one executemany UPDATE. Parents always come before their
children in a batch's plan; a child read before its parent waits until the parent is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from typing import Any

from sqlalchemy import insert
from sqlalchemy import select
from sqlalchemy import update

from forum.extensions import db
from forum.models import ImportRecord
from forum.models import Reply
from forum.models.reply import path_segment
from forum.phrases import N_
from forum.phrases import english
from forum.phrases import phrase
from forum.services.importing.records import CommentRecord
from forum.services.importing.report import ImportReport
from forum.text.names import clean_name
from forum.text.render import render_imported_html
from forum.text.sanitize import is_web_address

CACHE_LIMIT = 1_000  # stored replies kept at hand as parents; older ones are looked up again


@dataclass(frozen=True)
class Placed:
    """Where a stored reply sits: what its children need to place themselves."""

    id: int
    path: str
    root_id: int
    depth: int


@dataclass(frozen=True)
class Queued:
    record: CommentRecord
    post_id: int
    author_id: int | None


@dataclass
class _Plan:
    """One batch's new replies in an order where every parent precedes its children."""

    items: list[tuple[Queued, str | None]] = field(default_factory=list)
    depths: dict[str, int] = field(default_factory=dict)


class CommentBatches:
    """Queue comments with `add`; `store` writes the queue (the caller commits)."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.source = ""
        self.queue: list[Queued] = []
        self.placed: dict[str, Placed] = {}
        self.waiting: dict[str, list[Queued]] = {}  # parent id -> children read before it
        self.detached: set[str] = set()  # comments whose parent never came: stored top-level
        self.new_reply_ids: list[int] = []  # written since the writer last committed

    def add(self, record: CommentRecord, post_id: int, author_id: int | None) -> None:
        self.queue.append(Queued(record, post_id, author_id))

    def store(self) -> None:
        queued, self.queue = self.queue, []
        if not queued:
            return
        if len(self.placed) >= CACHE_LIMIT:
            self.placed.clear()
        fresh, known = self._fresh(queued)
        for source_id in known:  # children read before a parent imported by an earlier run
            fresh.extend(self.waiting.pop(source_id, []))
        new_ids = {q.record.source_id for q in fresh}
        self._load_parents({p for q in fresh if (p := self._parent(q)) and p not in new_ids})
        plan = _Plan()
        for item in fresh:
            parent = self._parent(item)
            if parent is None or parent in self.placed or parent in plan.depths:
                self._plan(item, parent, plan)
            else:
                self.waiting.setdefault(parent, []).append(item)
        self._write(plan)

    def detach_orphans(self) -> bool:
        """Store one group of comments whose parent never came at the top of their thread."""
        if not self.waiting:
            return False
        read = {q.record.source_id for children in self.waiting.values() for q in children}
        # A parent never read (not one merely waiting itself); any, to break a cycle.
        missing = next((p for p in self.waiting if p not in read), next(iter(self.waiting)))
        orphans = self.waiting.pop(missing)
        for item in orphans:
            self.detached.add(item.record.source_id)
            self.report.note("comment", N_("parent missing, attached to the post instead"))
        self.queue.extend(orphans)
        self.store()
        return True

    def _parent(self, item: Queued) -> str | None:
        source_id = item.record.source_id
        return None if source_id in self.detached else item.record.parent_source_id

    def _fresh(self, queued: list[Queued]) -> tuple[list[Queued], list[str]]:
        """The queued comments not imported before (nor twice in this file): one IN query."""
        ids = {q.record.source_id for q in queued}
        known = set(
            db.session.scalars(
                select(ImportRecord.source_id).where(
                    ImportRecord.source == self.source,
                    ImportRecord.kind == "comment",
                    ImportRecord.source_id.in_(ids),
                )
            )
        )
        fresh: list[Queued] = []
        already: list[str] = []
        for item in queued:
            if item.record.source_id in known:
                self.report.already[_kind(item.record)] += 1
                already.append(item.record.source_id)
            else:
                known.add(item.record.source_id)
                fresh.append(item)
        return fresh, already

    def _load_parents(self, source_ids: set[str]) -> None:
        """Parents stored by an earlier batch or run, not at hand any more: one query."""
        wanted = source_ids - self.placed.keys()
        if not wanted:
            return
        rows = db.session.execute(
            select(ImportRecord.source_id, Reply.id, Reply.path, Reply.root_id, Reply.depth)
            .join(Reply, Reply.id == ImportRecord.target_id)
            .where(
                ImportRecord.source == self.source,
                ImportRecord.kind == "comment",
                ImportRecord.source_id.in_(wanted),
            )
        )
        for source_id, reply_id, path, root_id, depth in rows:
            self.placed[source_id] = Placed(reply_id, path, root_id or reply_id, depth)

    def _plan(self, item: Queued, parent: str | None, plan: _Plan) -> None:
        """Plan the reply, then the children that were waiting for it (recursively)."""
        if parent is None:
            depth = 0
        elif parent in plan.depths:
            depth = plan.depths[parent] + 1
        else:
            depth = self.placed[parent].depth + 1
        plan.items.append((item, parent))
        plan.depths[item.record.source_id] = depth
        for child in self.waiting.pop(item.record.source_id, []):
            self._plan(child, item.record.source_id, plan)

    def _write(self, plan: _Plan) -> None:
        if not plan.items:
            return
        rows = [
            _row(q, plan.depths[q.record.source_id], mark=f"~{n}")
            for n, (q, _) in enumerate(plan.items)
        ]
        # The temporary path tells which id is whose: RETURNING's order is not guaranteed, and
        # asking SQLAlchemy to sort it makes it insert row by row on SQLite.
        returned = db.session.execute(insert(Reply).returning(Reply.id, Reply.path), rows)
        by_mark = {path: reply_id for reply_id, path in returned}
        ids = [by_mark[row["path"]] for row in rows]
        places: list[dict[str, Any]] = []
        records: list[dict[str, Any]] = []
        for (item, parent_id), reply_id in zip(plan.items, ids, strict=True):
            parent_reply_id, placed = self._place(item.record.source_id, reply_id, parent_id)
            places.append(
                {
                    "id": reply_id,
                    "parent_id": parent_reply_id,
                    "path": placed.path,
                    "root_id": placed.root_id,
                }
            )
            records.append(
                {
                    "source": self.source,
                    "kind": "comment",
                    "source_id": item.record.source_id,
                    "target_id": reply_id,
                }
            )
            self.report.imported[_kind(item.record)] += 1
        db.session.execute(update(Reply), places)
        self.new_reply_ids.extend(ids)
        db.session.execute(insert(ImportRecord), records)

    def _place(
        self, source_id: str, reply_id: int, parent_source: str | None
    ) -> tuple[int | None, Placed]:
        parent = self.placed[parent_source] if parent_source is not None else None
        own = path_segment(reply_id)
        placed = Placed(
            id=reply_id,
            path=f"{parent.path}/{own}" if parent else own,
            root_id=parent.root_id if parent else reply_id,
            depth=parent.depth + 1 if parent else 0,
        )
        self.placed[source_id] = placed
        return (parent.id if parent else None), placed


def _kind(record: CommentRecord) -> str:
    return "comment" if record.kind == "comment" else record.kind


def _row(item: Queued, depth: int, mark: str) -> dict[str, Any]:
    """The reply's columns but its place (parent, root, path need its id): `mark` meanwhile."""
    record = item.record
    guest = item.author_id is None
    imported_as = phrase(N_("imported as %(status)s"), status=str(record.status))
    return {
        "post_id": item.post_id,
        "depth": depth,
        "path": mark,
        "status": record.status,
        "body_source": record.body_html,
        "body_html": render_imported_html(record.body_html),
        "author_id": item.author_id,
        "guest_name": (clean_name(record.author_name)[:80] or "Anonymous") if guest else None,
        "guest_email": (record.author_email or "")[:320].lower() or None if guest else None,
        "guest_url": _website(record.author_url) if guest else None,
        "ip_address": (record.ip_address or "")[:45] or None,
        "created_at": record.created_at,
        "decision_trace": [
            {
                "rule": "import",
                "detail": english(imported_as),
                "verdict": "pass",
                "phrase": imported_as,
            }
        ],
    }


def _website(url: str | None) -> str | None:
    """The author's website if it may be a link (http or https); anything else is dropped."""
    url = (url or "").strip()[:500]
    return url if url and is_web_address(url) else None
