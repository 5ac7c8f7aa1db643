"""The import job's task: claims the job row, imports the uploaded file, stores the report."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from forum.deferred import task
from forum.i18n import _
from forum.models import Job
from forum.services import jobs
from forum.services.importing import import_file
from forum.services.importing.records import ImportFileError
from forum.services.importing.writer import Options


@task()
def run_import_job(job_id: int) -> None:
    """Run one queued import; a duplicate of this task finds the job claimed and does nothing."""
    jobs.run(job_id, _import)


jobs.register("import", run_import_job)


def _import(job: Job) -> dict[str, Any]:
    path = Path(job.params["path"])
    if not path.is_file():
        raise ImportFileError(_("the uploaded file is no longer on the server; upload it again"))
    report = import_file(
        kind=job.params["source"],
        path=path,
        options=Options(with_pingbacks=bool(job.params.get("with_pingbacks"))),
        on_progress=lambda done, total: jobs.heartbeat(job, progress=done, total=total),
    )
    path.unlink(missing_ok=True)
    return report.as_dict()
