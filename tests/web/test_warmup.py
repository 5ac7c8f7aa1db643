"""A new worker renders the front page and the newest thread once before its first visitor."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.web.serving import warmup
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply


def test_after_the_warm_up_the_first_reader_of_the_newest_thread_gets_a_kept_page(
    app: Flask, client: FlaskClient
) -> None:
    older = make_post(title="Older")  # published a minute before the next
    newest = make_post(title="Newest")
    make_reply(newest, body_source="Already here")
    with app.app_context():  # a context of its own, as in a worker before any request
        rendered = warmup.warm(app)
    assert rendered == [("/", 200), (f"/t/{newest.slug}", 200)]
    front, thread = client.get("/"), client.get(f"/t/{newest.slug}")
    assert (front.headers["X-Porch-Cache"], thread.headers["X-Porch-Cache"]) == ("hit", "hit")
    assert "Already here" in thread.get_data(as_text=True)
    assert client.get(f"/t/{older.slug}").headers["X-Porch-Cache"] == "miss"  # only the newest


def test_a_site_with_no_post_yet_warms_its_front_page_only(app: Flask) -> None:
    with app.app_context():
        assert warmup.warm(app) == [("/", 200)]


def test_a_warm_up_that_fails_is_logged_and_the_worker_starts_all_the_same(
    caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'no-tables.db'}")  # every query fails
    with caplog.at_level(logging.WARNING, logger="porch.warmup"), app.app_context():
        assert warmup.warm(app) == []
    assert "warm-up failed" in caplog.text
