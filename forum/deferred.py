"""The one place deferred work happens: Huey, bound to the app, with tasks run in its context.

Tasks are triggers only: what must survive is a row in Porch's database (see services/jobs.py),
written in the same transaction as the change that causes it and claimed with a guarded UPDATE.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from contextlib import AbstractContextManager
from contextlib import nullcontext
from pathlib import Path
from typing import Any
from typing import TypeVar

from flask import Flask
from flask import has_app_context
from huey.storage import RedisStorage
from huey.storage import SqliteStorage

from forum.extensions import huey

F = TypeVar("F", bound=Callable[..., Any])
_bound: list[Flask] = []  # the app a worker thread runs tasks in


class QueueFileStorage(SqliteStorage):  # type: ignore[misc]  # huey ships no types
    """Huey's SQLite queue, written as Porch's own SQLite database is: WAL, synchronous=NORMAL.

    Huey's default (FULL) waits for an fsync on every enqueue, 2-3 ms of each post here. In WAL
    mode NORMAL loses nothing when a process crashes or restarts; only a power cut may drop the
    last moments' enqueues, as it may drop the database's own last commits; and a task is only a
    trigger: the rows it acts on are the record, which the periodic sweeps still find.
    """

    def _create_connection(self) -> Any:
        connection = super()._create_connection()
        connection.execute("pragma synchronous=NORMAL")
        return connection


def init_app(app: Flask) -> None:
    """SQLite queue in instance/ by default, Redis with PORCH_REDIS_URL; inline in tests."""
    if app.config["REDIS_URL"]:
        huey.storage_class = RedisStorage
        huey.storage_kwargs = {"url": app.config["REDIS_URL"]}
    else:
        queue_file = Path(app.config["JOBS_QUEUE_FILE"])
        queue_file.parent.mkdir(parents=True, exist_ok=True)
        huey.storage_class = QueueFileStorage
        huey.storage_kwargs = {"filename": str(queue_file)}
    huey.immediate = bool(app.config["JOBS_IMMEDIATE"])
    huey.storage = huey.create_storage()
    _bound[:] = [app]
    # Importing registers the tasks with Huey, so the consumer knows every one of them.
    import forum.mail.tasks  # noqa: F401
    import forum.periodic  # noqa: F401
    import forum.services.importing.tasks  # noqa: F401
    import forum.services.webhooks.tasks  # noqa: F401


def _context() -> AbstractContextManager[Any]:
    """Inline (immediate mode) tasks reuse the caller's context; worker threads get their own."""
    if has_app_context() or not _bound:
        return nullcontext()
    return _bound[0].app_context()


def in_app_context(fn: F) -> F:
    @functools.wraps(fn)
    def run(*args: Any, **kwargs: Any) -> Any:
        with _context():
            return fn(*args, **kwargs)

    return run  # type: ignore[return-value]


def task(**options: Any) -> Callable[[F], Any]:
    """Like huey.task, run inside the app's context."""
    return lambda fn: huey.task(**options)(in_app_context(fn))


def periodic_task(schedule: Callable[..., bool], **options: Any) -> Callable[[F], Any]:
    """Like huey.periodic_task (its scheduler replaces cron), run inside the app's context."""
    return lambda fn: huey.periodic_task(schedule, **options)(in_app_context(fn))
