"""`porch import ...` in the terminal, and `porch worker` running a queued import for real."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from flask import Flask

from forum.extensions import db
from forum.models import Job
from forum.models import JobStatus
from forum.services.importing import start_job
from tests.conftest import make_app
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr
from tests.factories import make_user

ROOT = Path(__file__).resolve().parents[1]


def _export(tmp_path: Path) -> Path:
    path = tmp_path / "blog.xml"
    path.write_text(wxr([Item(1, "Hello", "hello", comments=[Comment(5), Comment(6, parent=5)])]))
    return path


def test_import_wordpress_command_reports_and_second_run_says_nothing_new(
    app: Flask, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    args = ["porch", "import", "wordpress", str(_export(tmp_path))]
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert "The file is readable: 5 records." in first.output
    assert "Imported: 1 account, 1 category, 2 comments, 1 post." in first.output
    second = runner.invoke(args=args)
    assert second.exit_code == 0 and "Nothing new" in second.output


def test_import_command_refuses_a_broken_file_with_its_line(app: Flask, tmp_path: Path) -> None:
    broken = tmp_path / "broken.xml"
    broken.write_text(_export(tmp_path).read_text()[:900])
    result = app.test_cli_runner().invoke(args=["porch", "import", "wordpress", str(broken)])
    assert result.exit_code != 0
    assert "line " in result.output and "Nothing was imported" in result.output


def test_worker_process_runs_a_queued_import(tmp_path: Path) -> None:
    settings = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'site.sqlite3'}",
        "JOBS_QUEUE_FILE": str(tmp_path / "queue.sqlite3"),
    }
    app = make_app(**settings, JOBS_IMMEDIATE=False, TESTING=False)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PORCH_SECRET_KEY": "worker-test"}
    env.update({f"PORCH_{name}": value for name, value in settings.items()})
    with app.app_context():
        db.create_all()
        with _export(tmp_path).open("rb") as upload:
            job = start_job(
                admin=make_user(),
                kind="wordpress",
                upload=upload,
                filename="b.xml",
                import_dir=tmp_path / "imports",
                with_pingbacks=False,
            )
        assert job.status is JobStatus.QUEUED
        worker = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "porch", "worker", "--threads", "1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        try:
            status = _wait_for_finish(job.id)
        finally:
            worker.send_signal(signal.SIGINT)
            output = worker.communicate(timeout=20)[0].decode()
        assert status is JobStatus.DONE, output
    make_app()  # tasks inline again for the tests that follow


def _wait_for_finish(job_id: int) -> JobStatus:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        db.session.expire_all()
        job = db.session.get(Job, job_id)
        assert job is not None
        if job.finished:
            return job.status
        time.sleep(0.2)
    return JobStatus.RUNNING
