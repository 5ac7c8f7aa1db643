"""Keeping the index in step: one document per post and per reply, written in the caller's
transaction (no commit) or rebuilt whole by `reindex_all`.

The index holds every reply whatever its status; who may see what is decided when searching,
by joining the live rows, so a moderation change needs no index write and a stale row can never
show hidden text. What changes the text (posting, editing, deleting, importing) writes here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from collections.abc import Iterator
from typing import Any

from sqlalchemy import column
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy import table
from sqlalchemy import text
from sqlalchemy.sql.expression import TableClause

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.services import statements
from forum.services.search.schema import TABLE
from forum.text.plain import plain_text

BATCH = 2000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # also keeps snippet markers unique


def _key() -> str:
    """The document id column: FTS5's rowid, or the PostgreSQL table's key."""
    return "rowid" if db.session.get_bind().dialect.name == "sqlite" else "doc_id"


def _documents() -> TableClause:
    """The index table for deletes built by SQLAlchemy, so no SQL is assembled from strings."""
    return table(TABLE, column(_key()), column("post_id"))


def _clean(html: str) -> str:
    return _CONTROL.sub(" ", plain_text(html))


def _reply_doc(reply_id: int, post_id: int, body_html: str) -> dict[str, Any]:
    return {"key": reply_id, "post_id": post_id, "title": "", "body": _clean(body_html)}


def _post_doc(post_id: int, title: str, body_html: str) -> dict[str, Any]:
    return {
        "key": -post_id,
        "post_id": post_id,
        "title": _CONTROL.sub(" ", title),
        "body": _clean(body_html),
    }


def _delete(keys: list[int]) -> None:
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        documents = _documents()
        db.session.execute(delete(documents).where(documents.c[_key()].in_(chunk)))


def _insert(docs: list[dict[str, Any]]) -> None:
    if docs:
        statement = f"INSERT INTO {TABLE} ({_key()}, post_id, title, body) "
        db.session.execute(text(statement + "VALUES (:key, :post_id, :title, :body)"), docs)


_REPLACE_ON_CONFLICT = (
    "ON CONFLICT (doc_id) DO UPDATE SET "
    "post_id = EXCLUDED.post_id, title = EXCLUDED.title, body = EXCLUDED.body"
)


def _put(docs: list[dict[str, Any]]) -> None:
    """Insert or replace these documents: one statement, not a DELETE and an INSERT."""
    if docs:  # every post indexes its reply: a statement built once, run without the ORM's work
        statements.run(_PUT[db.session.get_bind().dialect.name], docs)


_COLUMNS = "({key}, post_id, title, body) VALUES (:key, :post_id, :title, :body)"
# SQLite's FTS5 replaces the row with that rowid. Built from constants.
_PUT = {
    "postgresql": text(
        f"INSERT INTO {TABLE} {_COLUMNS.format(key='doc_id')} {_REPLACE_ON_CONFLICT}"  # nosec B608
    ),
    "sqlite": text(f"INSERT OR REPLACE INTO {TABLE} {_COLUMNS.format(key='rowid')}"),  # nosec B608
}


def index_reply(reply: Reply) -> None:
    """(Re)index one reply's current text; the caller commits. Call once it has its id."""
    _put([_reply_doc(reply.id, reply.post_id, reply.body_html)])


def index_post(post: Post) -> None:
    """(Re)index one post's title and text; the caller commits. Call once it has its id."""
    _put([_post_doc(post.id, post.title, post.body_html)])


def unindex_reply(reply_id: int) -> None:
    """Forget a reply removed from the database; the caller commits."""
    _delete([reply_id])


def index_replies(reply_ids: Iterable[int]) -> int:
    """(Re)index these replies, e.g. an import batch; the caller commits. Returns the count."""
    ids = list(reply_ids)
    done = 0
    for start in range(0, len(ids), BATCH):
        rows = db.session.execute(
            select(Reply.id, Reply.post_id, Reply.body_html).where(
                Reply.id.in_(ids[start : start + BATCH])
            )
        ).all()
        _put([_reply_doc(*row) for row in rows])
        done += len(rows)
    return done


def reindex_post(post_id: int) -> int:
    """Rebuild one post's documents and its replies'; commits. Returns the documents written."""
    post = db.session.get(Post, post_id)
    documents = _documents()
    db.session.execute(delete(documents).where(documents.c.post_id == post_id))
    if post is None:
        db.session.commit()
        return 0
    index_post(post)
    count = 1 + index_replies(db.session.scalars(select(Reply.id).where(Reply.post_id == post_id)))
    db.session.commit()
    return count


def _batches(rows: Iterable[Any], size: int = BATCH) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def reindex_all() -> dict[str, int]:
    """Rebuild the whole index from the posts and replies tables in one transaction."""
    db.session.execute(delete(_documents()))
    posts = db.session.execute(select(Post.id, Post.title, Post.body_html)).all()
    _insert([_post_doc(*row) for row in posts])
    replies = db.session.execute(
        select(Reply.id, Reply.post_id, Reply.body_html).execution_options(yield_per=BATCH)
    )
    count = 0
    for batch in _batches(replies):
        _insert([_reply_doc(*row) for row in batch])
        count += len(batch)
    db.session.commit()
    return {"posts": len(posts), "replies": count}
