"""`porch worker`: runs Huey's consumer, the one process that does deferred and periodic work."""

from __future__ import annotations

import logging

import click
from flask import current_app

from forum.extensions import huey


@click.command("worker")
@click.option("--threads", type=int, default=None, help="Tasks run at once (PORCH_WORKER_THREADS).")
def worker(threads: int | None) -> None:
    """Run background jobs (imports) and periodic work (digest, job sweep) until stopped."""
    if current_app.config["JOBS_IMMEDIATE"]:
        raise click.ClickException(
            "PORCH_JOBS_IMMEDIATE is on: tasks run inline, no worker needed."
        )
    workers = threads or int(current_app.config["WORKER_THREADS"])
    logging.getLogger("huey").setLevel(logging.INFO)
    click.echo(f"Porch worker: {workers} thread(s), queue {huey.storage.__class__.__name__}.")
    _catch_up()
    consumer = huey.create_consumer(workers=workers, worker_type="thread", periodic=True)
    consumer.run()


def _catch_up() -> None:
    """After a crash or a restart, resume at once what the periodic sweeps would find later:
    jobs whose worker died (silent longer than PORCH_JOB_STALE_SECONDS) and due mail."""
    from forum.mail.tasks import run_once
    from forum.periodic import sweep_jobs

    sweep_jobs.call_local()
    delivered = run_once()
    if delivered:
        click.echo(f"Porch worker: delivered {delivered} message(s) left from before.")
