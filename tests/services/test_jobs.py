"""Job rows: claimed once, resumed or failed when their worker dies, and the daily digest once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.extensions import huey
from forum.models import Job
from forum.models import JobStatus
from forum.models import Post
from forum.models import Reply
from forum.models import Setting
from forum.models.base import utcnow
from forum.periodic import refit_spam_thresholds
from forum.periodic import send_digest_once
from forum.services import jobs
from forum.services.importing import Options
from forum.services.importing import import_file
from forum.services.importing.tasks import run_import_job
from tests.conftest import database_for
from tests.conftest import make_app
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr
from tests.factories import make_user


class Killed(Exception):
    """Stands for a worker process dying in the middle of an import."""


def _export(tmp_path: Path) -> Path:
    items = [
        Item(
            id=n,
            title=f"Post {n}",
            slug=f"post-{n}",
            comments=[Comment(id=n * 10 + k) for k in range(4)],
        )
        for n in range(1, 6)
    ]
    path = tmp_path / "blog.xml"
    path.write_text(wxr(items), encoding="utf-8")
    return path


def _queued_import(path: Path) -> Job:
    """A job row as the Import page leaves it, without triggering its task."""
    job = Job(kind="import", params={"source": "wordpress", "path": str(path), "filename": "b.xml"})
    db.session.add(job)
    db.session.commit()
    return job


def _replies() -> int:
    return db.session.scalar(select(func.count(Reply.id))) or 0


def test_import_job_duplicated_task_does_the_work_once(app: Flask, tmp_path: Path) -> None:
    job = _queued_import(_export(tmp_path))
    run_import_job.call_local(job.id)
    run_import_job.call_local(job.id)  # the same task delivered twice
    db.session.refresh(job)
    assert job.status is JobStatus.DONE and job.attempts == 1
    assert _replies() == 20 and job.report["imported"]["comment"] == 20
    assert job.progress == job.total


def test_run_job_twice_calls_the_work_once(app: Flask) -> None:
    job = Job(kind="import", params={})
    db.session.add(job)
    db.session.commit()
    calls: list[int] = []

    def work(claimed: Job) -> dict[str, Any]:
        calls.append(claimed.id)
        return {"ok": True}

    assert jobs.run(job.id, work) is True
    assert jobs.run(job.id, work) is False
    assert calls == [job.id]


def test_import_job_killed_midway_is_resumed_by_the_sweep(app: Flask, tmp_path: Path) -> None:
    path = _export(tmp_path)
    job = _queued_import(path)
    claimed = jobs.claim(job.id)
    assert claimed is not None

    def die_after_first_batch(done: int, total: int | None) -> None:
        if done:
            raise Killed

    with pytest.raises(Killed):
        import_file(
            kind="wordpress",
            path=path,
            options=Options(batch_size=6),
            on_progress=die_after_first_batch,
        )
    db.session.rollback()
    assert 0 < _replies() < 20  # the first batch was committed before the worker died
    claimed.heartbeat_at = utcnow() - timedelta(hours=1)
    db.session.commit()

    swept = jobs.sweep(stale_seconds=600, max_attempts=3)  # inline mode: the requeued task runs now

    assert swept.requeued == [job.id]
    db.session.refresh(job)
    assert job.status is JobStatus.DONE and job.attempts == 2
    assert _replies() == 20 and db.session.scalar(select(func.count(Post.id))) == 5


def test_stale_job_out_of_attempts_fails_with_the_reason(app: Flask, tmp_path: Path) -> None:
    job = _queued_import(_export(tmp_path))
    job.status, job.attempts = JobStatus.RUNNING, 3
    job.heartbeat_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    swept = jobs.sweep(stale_seconds=600, max_attempts=3)
    db.session.refresh(job)
    assert swept.failed == [job.id] and job.status is JobStatus.FAILED
    assert job.error is not None and "stopped responding" in job.error


def test_sweep_leaves_a_running_job_with_a_fresh_heartbeat(app: Flask, tmp_path: Path) -> None:
    job = _queued_import(_export(tmp_path))
    assert jobs.claim(job.id) is not None
    swept = jobs.sweep(stale_seconds=600, max_attempts=3)
    db.session.refresh(job)
    assert not swept.requeued and job.status is JobStatus.RUNNING


def test_queued_job_whose_trigger_was_lost_is_run_by_the_sweep(app: Flask, tmp_path: Path) -> None:
    job = _queued_import(_export(tmp_path))
    job.created_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    swept = jobs.sweep(stale_seconds=600, max_attempts=3)
    db.session.refresh(job)
    assert swept.retriggered == [job.id] and job.status is JobStatus.DONE


def test_import_job_of_a_broken_file_fails_with_the_line_and_imports_nothing(
    app: Flask, tmp_path: Path
) -> None:
    path = tmp_path / "broken.xml"
    path.write_text(_export(tmp_path).read_text()[:3000], encoding="utf-8")
    job = _queued_import(path)
    run_import_job.call_local(job.id)
    db.session.refresh(job)
    assert job.status is JobStatus.FAILED and job.error is not None and "line " in job.error
    assert _replies() == 0 and db.session.scalar(select(func.count(Post.id))) == 0


def test_import_job_whose_file_is_gone_fails_with_the_reason(app: Flask, tmp_path: Path) -> None:
    job = _queued_import(tmp_path / "gone.xml")
    run_import_job.call_local(job.id)
    db.session.refresh(job)
    assert job.status is JobStatus.FAILED and "no longer on the server" in (job.error or "")


def test_digest_is_sent_once_a_day_whoever_asks(app: Flask) -> None:
    assert send_digest_once() == 0
    assert send_digest_once() is None
    assert (
        db.session.scalars(select(Job).where(Job.kind == "digest")).one().status is JobStatus.DONE
    )


def test_spam_refit_runs_once_an_hour_whoever_asks(app: Flask) -> None:
    refit_spam_thresholds.call_local()
    refit_spam_thresholds.call_local()  # a second worker's scheduler, the same hour
    (job,) = db.session.scalars(select(Job).where(Job.kind == "spam-refit")).all()
    assert job.status is JobStatus.DONE
    assert db.session.get(Setting, "spam_calibration") is not None


def test_queue_is_redis_when_a_redis_url_is_set() -> None:
    app = make_app(JOBS_IMMEDIATE=False, REDIS_URL="redis://127.0.0.1:6379/15")
    with database_for(app):
        assert type(huey.storage).__name__ == "RedisStorage"
    make_app()  # back to inline tasks for the tests that follow
    assert huey.immediate


def test_start_job_commits_the_row_before_the_task_runs(app: Flask, tmp_path: Path) -> None:
    from forum.services.importing import start_job

    admin = make_user()
    with _export(tmp_path).open("rb") as upload:
        job = start_job(
            admin=admin,
            kind="wordpress",
            upload=upload,
            filename="blog.xml",
            import_dir=tmp_path / "imports",
            with_pingbacks=False,
        )
    db.session.refresh(job)
    assert job.status is JobStatus.DONE and job.created_by_id == admin.id
    assert not list((tmp_path / "imports").iterdir())  # the upload is removed once imported
