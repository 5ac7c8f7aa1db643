"""A job as the Import pages and their script show it."""

from __future__ import annotations

from typing import Any

from forum.i18n import _
from forum.i18n import lazy_gettext
from forum.i18n import ngettext
from forum.models import Job
from forum.models import JobStatus
from forum.services.importing.report import lines

STATUS_LABELS = {
    JobStatus.QUEUED: lazy_gettext("Waiting for a worker"),
    JobStatus.RUNNING: lazy_gettext("Importing"),
    JobStatus.DONE: lazy_gettext("Finished"),
    JobStatus.FAILED: lazy_gettext("Failed"),
}


def _counts(job: Job) -> str:
    if job.status is JobStatus.QUEUED:
        return _("Not started yet: the next free worker (porch worker) takes it.")
    if job.total is None:
        return _("Checking the file…")
    return ngettext(
        "%(progress)d of %(num)d record",
        "%(progress)d of %(num)d records",
        job.total,
        progress=job.progress,
    )


def present_job(job: Job) -> dict[str, Any]:
    total = job.total or 0
    percent = 100 if job.status is JobStatus.DONE else (job.progress * 100 // total if total else 0)
    return {
        "id": job.id,
        "status": job.status.value,
        "label": str(STATUS_LABELS[job.status]),
        "finished": job.finished,
        "progress": job.progress,
        "total": job.total,
        "percent": percent,
        "counts": _counts(job),
        "filename": job.params.get("filename", ""),
        "source": job.params.get("source", ""),
        "created_at": job.created_at.isoformat(),
        "report": lines(job.report) if job.status is JobStatus.DONE else [],
        "error": job.error,
    }
