"""gunicorn.conf.py sizes the server from the machine unless told otherwise."""

from __future__ import annotations

import os
import runpy
from pathlib import Path
from typing import Any

import pytest
from gunicorn.config import Config
from gunicorn.workers.gthread import ThreadWorker

CONF = str(Path(__file__).resolve().parent.parent / "gunicorn.conf.py")


def test_gunicorn_without_settings_runs_a_worker_per_core(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PORCH_WORKERS", "PORCH_THREADS", "PORCH_BIND", "PORT"):
        monkeypatch.delenv(name, raising=False)
    conf = runpy.run_path(CONF)
    assert conf["workers"] == max(2, os.cpu_count() or 1) and conf["threads"] == 4
    assert issubclass(conf["worker_class"], ThreadWorker)  # gthread's threads, spread out
    assert conf["bind"] == "127.0.0.1:5000"


def test_gunicorn_with_porch_workers_and_threads_uses_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORCH_WORKERS", "3")
    monkeypatch.setenv("PORCH_THREADS", "8")
    monkeypatch.setenv("PORCH_BIND", "0.0.0.0:8001")
    conf = runpy.run_path(CONF)
    assert (conf["workers"], conf["threads"], conf["bind"]) == (3, 8, "0.0.0.0:8001")


def test_gunicorn_builds_no_access_log_lines_porch_logs_its_own(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORCH_LOG_FORMAT", "json")  # a logconfig_dict: gunicorn's access log on
    conf = runpy.run_path(CONF)
    settings = Config()
    settings.set("logconfig_dict", conf["logconfig_dict"])
    logger = conf["logger_class"](settings)
    assert logger.access_log_enabled  # gunicorn's own logger would build the line

    def built(*_: Any) -> None:
        raise AssertionError("an access-log line was built")

    monkeypatch.setattr(logger, "atoms", built)
    logger.access(None, None, {}, None)


def test_a_new_worker_warms_porch_up_before_it_serves_and_leaves_other_apps_alone(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from flask import Flask

    from forum.web.serving import warmup

    warmed: list[Any] = []
    monkeypatch.setattr(warmup, "warm", warmed.append)
    monkeypatch.setattr("gc.freeze", lambda: None)  # would freeze the whole test run's objects
    conf = runpy.run_path(CONF)
    porch, other = Flask("forum"), Flask("ceiling")

    class Worker:
        def __init__(self, wsgi: Any) -> None:
            self.wsgi = wsgi

    conf["post_worker_init"](Worker(porch))
    conf["post_worker_init"](Worker(other))
    assert warmed == [porch]
