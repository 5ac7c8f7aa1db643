"""Job rows: created with the change that causes them, claimed once, watched, swept when stuck.

The task queue only triggers work. A task claims its row with a guarded UPDATE
(`WHERE status = 'queued'`), so a duplicated or retried task finds nothing to do; a worker that
dies leaves a row whose heartbeat stops, and the sweep requeues it or fails it with the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError

from forum.extensions import db
from forum.i18n import _
from forum.models import Job
from forum.models import JobStatus
from forum.models import User
from forum.models.base import utcnow

log = logging.getLogger(__name__)
Enqueue = Callable[[int], Any]
_triggers: dict[str, Enqueue] = {}


class JobLost(RuntimeError):
    """This run no longer owns the job (it was swept and claimed again); stop quietly."""


def register(kind: str, enqueue: Enqueue) -> None:
    """Tell the jobs service which task runs jobs of this kind (tasks modules call this)."""
    _triggers[kind] = enqueue


def start(*, kind: str, params: dict[str, Any], created_by: User | None) -> Job:
    """Store a queued job, commit, then trigger its task: the row exists before any worker runs."""
    job = Job(kind=kind, params=params, created_by_id=created_by.id if created_by else None)
    db.session.add(job)
    db.session.commit()
    _trigger(job)
    return job


def _trigger(job: Job) -> None:
    """Enqueue after the commit; if the queue is down the sweep enqueues the row again later."""
    try:
        _triggers[job.kind](job.id)
    except Exception:  # the row is safe; the sweep triggers queued rows that nobody ran
        log.exception("could not enqueue job %s (%s); the sweep will retry", job.id, job.kind)


def claim(job_id: int) -> Job | None:
    """Take a queued job for this run, or None when another run has it or it is finished."""
    now = utcnow()
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(
            status=JobStatus.RUNNING, claimed_at=now, heartbeat_at=now, attempts=Job.attempts + 1
        )
    )
    db.session.commit()
    if _rowcount(result) != 1:
        return None
    return db.session.get(Job, job_id, populate_existing=True)


def _rowcount(result: Any) -> int:
    return result.rowcount if isinstance(result, CursorResult) else 0


def _mine(job: Job) -> Any:
    """Rows this run still owns: running, and not claimed again since."""
    return (Job.id == job.id) & (Job.status == JobStatus.RUNNING) & (Job.attempts == job.attempts)


def heartbeat(job: Job, *, progress: int, total: int | None = None) -> None:
    """Record progress and that the run is alive; raise JobLost if it is no longer ours."""
    values: dict[str, Any] = {"progress": progress, "heartbeat_at": utcnow()}
    if total is not None:
        values["total"] = total
    result = db.session.execute(update(Job).where(_mine(job)).values(**values))
    db.session.commit()
    if _rowcount(result) != 1:
        raise JobLost(f"job {job.id} was taken over by another run")


def finish(job: Job, report: dict[str, Any]) -> None:
    db.session.execute(
        update(Job)
        .where(_mine(job))
        .values(status=JobStatus.DONE, report=report, finished_at=utcnow(), heartbeat_at=utcnow())
    )
    db.session.commit()


def fail(job: Job, reason: str) -> None:
    db.session.rollback()
    db.session.execute(
        update(Job)
        .where(_mine(job))
        .values(status=JobStatus.FAILED, error=reason, finished_at=utcnow())
    )
    db.session.commit()


def run(job_id: int, work: Callable[[Job], dict[str, Any]]) -> bool:
    """Claim the job and run `work` on it; a failure is stored as the reason. False: not ours."""
    job = claim(job_id)
    if job is None:
        log.info("job %s is not queued; nothing to do", job_id)
        return False
    try:
        report = work(job)
    except JobLost as lost:
        db.session.rollback()
        log.warning("%s", lost)
        return False
    except Exception as error:
        log.exception("job %s failed", job_id)
        fail(job, getattr(error, "message", None) or f"{type(error).__name__}: {error}")
        return True
    finish(job, report)
    return True


def claim_once(*, kind: str, key: str) -> Job | None:
    """A running job for work that must happen once per key (a day's digest); None if done."""
    job = Job(kind=kind, key=key, status=JobStatus.RUNNING, attempts=1, heartbeat_at=utcnow())
    db.session.add(job)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return job


@dataclass
class Sweep:
    requeued: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retriggered: list[int] = field(default_factory=list)


def sweep(*, stale_seconds: int, max_attempts: int) -> Sweep:
    """Requeue running jobs whose heartbeat stopped (or fail them), and retrigger lost ones."""
    cutoff = utcnow() - timedelta(seconds=stale_seconds)
    done = Sweep()
    stale = db.session.scalars(
        select(Job).where(Job.status == JobStatus.RUNNING, Job.heartbeat_at < cutoff)
    ).all()
    for job in stale:
        guard = (Job.id == job.id) & (Job.status == JobStatus.RUNNING) & (Job.heartbeat_at < cutoff)
        if job.attempts >= max_attempts or job.kind not in _triggers:
            reason = (
                f"The worker running this job stopped responding (attempt {job.attempts} of "
                f"{max_attempts}); it was not retried again. Start it anew to finish it."
            )
            values: dict[str, Any] = {"status": JobStatus.FAILED, "error": reason}
            values["finished_at"] = utcnow()
            (done.failed if _guarded(guard, values) else []).append(job.id)
        elif _guarded(guard, {"status": JobStatus.QUEUED}):
            done.requeued.append(job.id)
    db.session.commit()
    lost = db.session.scalars(
        select(Job.id).where(
            Job.status == JobStatus.QUEUED, Job.created_at < cutoff, Job.key.is_(None)
        )
    ).all()
    done.retriggered = [job_id for job_id in lost if job_id not in done.requeued]
    for job_id in done.requeued + done.retriggered:
        job_row = db.session.get(Job, job_id)
        if job_row is not None:
            _trigger(job_row)
    return done


def _guarded(where: Any, values: dict[str, Any]) -> bool:
    return _rowcount(db.session.execute(update(Job).where(where).values(**values))) == 1


def find(job_id: int, *, kind: str) -> Job:
    """A job of this kind, or NotFound."""
    from forum.errors import NotFound

    job = db.session.get(Job, job_id)
    if job is None or job.kind != kind:
        raise NotFound(_("There is no such job."))
    return job


def recent(*, kind: str, limit: int = 10) -> list[Job]:
    return list(
        db.session.scalars(select(Job).where(Job.kind == kind).order_by(Job.id.desc()).limit(limit))
    )
