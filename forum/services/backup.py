"""Online backups of the embedded SQLite database, and restoring one.

SQLite's backup API copies the database page by page inside one read transaction, so the copy
is a consistent snapshot even while the site keeps writing (WAL lets the writer go on). The
copy is written beside its destination and renamed into place only once it checks out, so a
crash mid-backup never leaves a half file under the backup's name. PostgreSQL has pg_dump for
this; `backup` says so instead of doing something weaker.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update

from forum.errors import DomainError
from forum.extensions import db
from forum.models import Post

PG_DUMP_HELP = (
    "On PostgreSQL, back up with pg_dump, which takes a consistent snapshot while the site runs: "
    'pg_dump --format=custom --file=porch.dump "$PORCH_DATABASE_URL"; restore into an empty '
    'database with pg_restore --no-owner --dbname="$PORCH_DATABASE_URL" porch.dump.'
)


class BackupError(DomainError):
    """The backup or restore cannot be done; the message says why and what to do."""


@dataclass(frozen=True)
class Snapshot:
    path: Path
    revision: str
    posts: int
    replies: int
    size_bytes: int


def _sqlite_path(engine: Engine) -> Path:
    if engine.dialect.name != "sqlite":
        raise BackupError(PG_DUMP_HELP)
    name = engine.url.database
    if not name or name == ":memory:":
        raise BackupError("This site's database lives in memory; there is nothing to back up.")
    return Path(name)


def inspect_copy(path: Path) -> Snapshot:
    """Check a backup file: a sound SQLite database holding a migrated Porch site."""
    if not path.is_file():
        raise BackupError(f"{path} is not a file.")
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as copy:
            (check,) = copy.execute("PRAGMA quick_check").fetchone()
            if check != "ok":
                raise BackupError(f"{path} is damaged: {check}")
            (revision,) = copy.execute("SELECT version_num FROM alembic_version").fetchone()
            (posts,) = copy.execute("SELECT count(*) FROM post").fetchone()
            (replies,) = copy.execute("SELECT count(*) FROM reply").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a Porch backup ({error}).") from error
    return Snapshot(path, str(revision), int(posts), int(replies), path.stat().st_size)


def back_up(destination: Path, *, overwrite: bool = False) -> Snapshot:
    """Copy the live database to destination as one consistent snapshot."""
    source = _sqlite_path(db.engine)
    if destination.resolve() == source.resolve():
        raise BackupError("The backup must go to another file than the live database.")
    if destination.exists() and not overwrite:
        raise BackupError(f"{destination} exists already; choose another name or --force.")
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    live = db.engine.raw_connection()
    try:
        with sqlite3.connect(partial) as copy:
            live.driver_connection.backup(copy)  # type: ignore[union-attr]  # one step: a snapshot
        copy.close()
    finally:
        live.close()
    inspect_copy(partial)
    os.replace(partial, destination)
    return inspect_copy(destination)


def restore(backup: Path) -> Snapshot:
    """Replace the live database's content with a backup's (stop the site first)."""
    live_path = _sqlite_path(db.engine)
    snapshot = inspect_copy(backup)
    if backup.resolve() == live_path.resolve():
        raise BackupError("That file is the live database itself.")
    # Cached pages are keyed by post versions; the backup's are older, so lift them all past
    # any version served before the restore, or a cache could answer with today's pages.
    ceiling = db.session.scalar(select(func.max(Post.version))) or 0
    db.session.remove()
    db.engine.dispose()
    target = db.engine.raw_connection()
    try:
        with sqlite3.connect(f"file:{backup}?mode=ro", uri=True) as source:
            source.backup(target.driver_connection)  # type: ignore[arg-type]
    finally:
        target.close()
    db.session.execute(update(Post).values(version=Post.version + ceiling + 1))
    db.session.commit()
    return snapshot
