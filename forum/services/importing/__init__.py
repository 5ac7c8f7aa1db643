"""Importing WordPress and Disqus exports: check the whole file first, then write in batches.

The check is a streaming pass over the file (flat memory) that refuses a malformed or truncated
file before anything is written, so such a file leaves the database as it was. The write pass
commits in batches, each with the import records that make a rerun or a resumed job skip it.
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Callable
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from forum.i18n import _
from forum.models import Job
from forum.models import User
from forum.services import jobs
from forum.services.importing import disqus
from forum.services.importing import wordpress
from forum.services.importing.records import ImportFileError
from forum.services.importing.records import Record
from forum.services.importing.report import ImportReport
from forum.services.importing.writer import Options
from forum.services.importing.writer import Writer

READERS: dict[str, Callable[[Path], Iterator[Record]]] = {
    "wordpress": wordpress.read,
    "disqus": disqus.read,
}
Progress = Callable[[int, int | None], None]  # records done, total (None while checking)
CHECK_TICK = 2_000

__all__ = ["READERS", "ImportFileError", "ImportReport", "Options", "import_file", "start_job"]


def count_records(kind: str, path: Path, on_progress: Progress) -> int:
    """Read the whole file once without writing: raises ImportFileError with the line if broken."""
    total = 0
    for _record in READERS[kind](path):
        total += 1
        if total % CHECK_TICK == 0:
            on_progress(0, None)
    return total


def import_file(
    *, kind: str, path: Path, options: Options, on_progress: Progress | None = None
) -> ImportReport:
    """Import an export file; a second run of the same file creates nothing."""
    progress = on_progress or (lambda done, total: None)
    total = count_records(kind, path, progress)
    progress(0, total)
    writer = Writer(options, on_batch=lambda done: progress(done, total))
    for record in READERS[kind](path):
        writer.write(record)
    return writer.finish()


def start_job(
    *,
    admin: User,
    kind: str,
    upload: IO[bytes],
    filename: str,
    import_dir: Path,
    with_pingbacks: bool,
) -> Job:
    """Keep the uploaded file where workers find it, and queue a job to import it."""
    if kind not in READERS:
        raise ImportFileError(_("unknown export kind “%(kind)s”", kind=kind))
    import_dir.mkdir(parents=True, exist_ok=True)
    path = import_dir / f"{uuid.uuid4().hex}.xml"
    with path.open("wb") as out:
        shutil.copyfileobj(upload, out)
    params = {
        "source": kind,
        "path": str(path),
        "filename": filename[:200],
        "with_pingbacks": with_pingbacks,
    }
    return jobs.start(kind="import", params=params, created_by=admin)
