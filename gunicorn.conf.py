"""Gunicorn settings for Porch (read from the current directory by `gunicorn wsgi:app`).

Workers and threads are sized from the machine unless PORCH_WORKERS / PORCH_THREADS say
otherwise; PORCH_BIND picks the address. Command-line options win over this file.
"""

from __future__ import annotations

import faulthandler
import gc
import os
import shutil
import tempfile
from typing import Any

from gunicorn.glogging import Logger
from gunicorn.workers.gthread import ThreadWorker

_cpus = os.cpu_count() or 1

bind = os.environ.get("PORCH_BIND", "127.0.0.1:" + os.environ.get("PORT", "5000"))
# Rendering is CPU work, so one process per core; threads cover the waits on the database.
workers = int(os.environ.get("PORCH_WORKERS") or max(2, _cpus))
threads = int(os.environ.get("PORCH_THREADS") or 4)
timeout = 30
graceful_timeout = 10
keepalive = 5
# Recycle workers now and then, with jitter so they do not all go at once. Not too often: a new
# worker boots the app and starts with cold in-process caches, so at a cached page's ~1,500
# requests a second per worker, 10,000 meant a restart (and a stall of every queued request)
# every few seconds.
max_requests = 100_000
max_requests_jitter = 10_000
accesslog = None  # Porch logs one JSON line per request itself (with its request id)


class PorchLogger(Logger):
    """gunicorn's own lines as configured, and no access log. With a logconfig_dict set,
    gunicorn would build every request's access-log fields (a twentieth of a cached page's
    cost) although no handler prints them."""

    def access(self, resp: Any, req: Any, environ: Any, request_time: Any) -> None:
        return None


logger_class = PorchLogger


class SpreadingThreadWorker(ThreadWorker):
    """gunicorn's threaded worker, taking new connections only while it has a thread free.

    The stock worker accepts any connection that arrives while it has fewer than
    `worker_connections` (1,000) open. When a few kept-open connections arrive at once (a
    proxy's pool, a load test, a handful of busy readers), the first worker to wake takes them
    all and the others sit idle: with 8 connections and 2 workers, one worker used a whole core
    and the other none, half the machine, for as long as the connections stayed open. This one
    stops listening while every thread is busy, so the next connection goes to a worker with a
    thread free, or waits in the kernel's queue until one has. Requests on connections already
    open are served as before. (Defined here, not in forum/, so that any app run with these
    settings can use it: the benchmark runs Isso with them too.)

    gunicorn calls enqueue_req and finish_request on the worker's main thread: no lock needed.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.busy_threads = 0
        self._accept_allowed = False  # gunicorn's own rule: fewer than worker_connections open

    def set_accept_enabled(self, enabled: bool) -> None:
        self._accept_allowed = enabled
        self._listen_if_free()

    def _listen_if_free(self) -> None:
        super().set_accept_enabled(self._accept_allowed and self.busy_threads < self.cfg.threads)

    def enqueue_req(self, conn: Any) -> None:
        self.busy_threads += 1
        self._listen_if_free()
        super().enqueue_req(conn)

    def finish_request(self, conn: Any, fs: Any) -> None:
        self.busy_threads -= 1
        super().finish_request(conn, fs)  # may hand the connection to a thread again
        self._listen_if_free()


worker_class = SpreadingThreadWorker  # threads, as gthread
errorlog = "-"
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
proc_name = "porch"
control_socket_disable = True  # one path per user: several gunicorns on a machine would share it

if os.environ.get("PORCH_LOG_FORMAT", "json") == "json":
    # gunicorn's own lines (worker booted, timed out...) as JSON too, like the app's.
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "forum.logging_setup.JsonFormatter"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"level": "INFO", "handlers": []},  # the app adds its own (forum.logging_setup)
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False}
        },
    }


def _metrics_on() -> bool:
    return os.environ.get("PORCH_METRICS", "").lower() in ("1", "true", "yes", "on")


def on_starting(server: Any) -> None:
    """With metrics on, give the workers a fresh directory to share their samples through."""
    if not _metrics_on():
        return
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)
    else:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="porch-metrics-")


def child_exit(server: Any, worker: Any) -> None:
    """A dead worker's live gauges must not be summed any more."""
    if _metrics_on() and os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker: Any) -> None:
    """Keep the loaded app (modules, templates, models: a few hundred thousand objects) out of
    the cyclic garbage collector's passes: they live as long as the worker, and walking them
    again on every full collection is pure cost on each request that triggers one.

    Before taking connections, the worker renders the newest pages once, alone (warmup.py says
    why). A worker that crashes in C code (gunicorn logs only "was sent SIGSEGV") writes every
    thread's Python stack to the error log first."""
    faulthandler.enable()
    if getattr(worker.wsgi, "import_name", None) == "forum":  # Porch: the bench runs others
        from forum.web.serving import warmup

        warmup.warm(worker.wsgi)
    gc.freeze()
