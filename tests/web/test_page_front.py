"""Cache hits answered before Flask (forum.web.caching.front): the same answer, less work."""

from __future__ import annotations

import gzip
import json
import logging
import time
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy import text

from forum.extensions import db
from forum.logging_setup import JsonFormatter
from forum.logging_setup import RequestIdFilter
from forum.models import ReplyStatus
from forum.models import Role
from forum.services.cache_versions import post_version
from forum.services.cache_versions import touch_post
from forum.services.moderation import actions
from forum.web.caching.version_reader import VersionReader
from tests.conftest import EXTERNAL_DATABASE_URL
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import login_on
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

GZIP = {"Accept-Encoding": "gzip"}
# Headers the two answers must share: everything but the per-request ones.
SHARED = (
    "Content-Type",
    "ETag",
    "Cache-Control",
    "Vary",
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Permissions-Policy",
)


@pytest.fixture
def flask_requests(app: Flask) -> list[str]:
    """Paths Flask itself handled (its before_request hooks ran)."""
    seen: list[str] = []

    @app.before_request
    def _count() -> None:
        from flask import request

        seen.append(request.path)

    return seen


def test_second_anonymous_read_is_answered_without_flask_and_with_the_same_headers(
    client: FlaskClient, flask_requests: list[str]
) -> None:
    post = make_post()
    make_reply(post, body_source="Soup recipe")
    first = client.get(f"/t/{post.slug}")
    second = client.get(f"/t/{post.slug}")
    assert flask_requests == [f"/t/{post.slug}"]  # the second never reached Flask
    assert second.status_code == 200 and second.headers["X-Porch-Cache"] == "hit"
    assert second.get_data() == first.get_data()
    for name in SHARED:
        assert second.headers[name] == first.headers[name], name
    assert int(second.headers["Content-Length"]) == len(first.get_data())
    assert "Set-Cookie" not in second.headers
    assert second.headers["X-Request-Id"] != first.headers["X-Request-Id"]


def test_gzip_and_plain_readers_each_get_their_own_kept_answer(
    client: FlaskClient, flask_requests: list[str]
) -> None:
    post = make_post()
    make_reply(post, body_source="Soup recipe " * 200)
    plain = [client.get(f"/t/{post.slug}") for _ in range(2)]
    packed = [client.get(f"/t/{post.slug}", headers=GZIP) for _ in range(2)]
    assert len(flask_requests) == 2  # one per encoding; the repeats came from the front
    assert packed[1].headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed[1].get_data()) == plain[1].get_data()
    assert "Content-Encoding" not in plain[1].headers


def test_front_answers_304_to_a_reader_holding_the_current_copy(client: FlaskClient) -> None:
    post = make_post()
    etag = client.get(f"/t/{post.slug}").headers["ETag"]
    client.get(f"/t/{post.slug}")
    again = client.get(f"/t/{post.slug}", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b""
    assert again.headers["ETag"] == etag and again.headers["X-Porch-Cache"] == "hit"
    assert "Content-Type" not in again.headers


def test_approved_reply_shows_at_once_on_a_page_the_front_had_kept(
    client: FlaskClient, moderator: Any
) -> None:
    post = make_post()
    held = make_reply(post, body_source="Held soup", status=ReplyStatus.PENDING)
    client.get(f"/t/{post.slug}")
    assert "Held soup" not in client.get(f"/t/{post.slug}").get_data(as_text=True)
    actions.moderate(moderator=moderator, reply_ids=[held.id], action="approve")
    fresh = client.get(f"/t/{post.slug}")
    assert fresh.headers["X-Porch-Cache"] == "miss"
    assert "Held soup" in fresh.get_data(as_text=True)


def test_each_language_gets_its_own_kept_page(client: FlaskClient) -> None:
    post = make_post()
    make_reply(post)
    german = {"Accept-Language": "de-DE,de;q=0.9"}
    for _ in range(2):
        english = client.get(f"/t/{post.slug}").get_data(as_text=True)
        deutsch = client.get(f"/t/{post.slug}", headers=german).get_data(as_text=True)
    assert 'lang="de"' in deutsch and 'lang="de"' not in english


def test_signed_in_reader_never_gets_the_front_s_copy(
    client: FlaskClient, flask_requests: list[str]
) -> None:
    post = make_post()
    client.get(f"/t/{post.slug}")
    client.get(f"/t/{post.slug}")
    login_on(client, make_user(display_name="Mara"))
    page = client.get(f"/t/{post.slug}")
    assert len(flask_requests) == 2
    assert "private" in page.headers["Cache-Control"] and "Mara" in page.get_data(as_text=True)


def test_each_front_answer_logs_one_line_with_its_request_id(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    post = make_post()
    client.get(f"/t/{post.slug}")
    with caplog.at_level(logging.INFO, logger="porch.request"):
        caplog.clear()
        hit = client.get(f"/t/{post.slug}?page=1")
        hit = client.get(f"/t/{post.slug}?page=1")
    records = [r for r in caplog.records if r.name == "porch.request"]
    assert len(records) == 2
    RequestIdFilter().filter(records[1])
    line = json.loads(JsonFormatter().format(records[1]))
    assert hit.headers["X-Porch-Cache"] == "hit"
    assert line["request_id"] == hit.headers["X-Request-Id"]
    assert (line["method"], line["path"], line["status"]) == ("GET", f"/t/{post.slug}", 200)


@pytest.fixture
def moderator(app: Flask) -> Any:
    return make_user(role=Role.MODERATOR)


# ---- Versions remembered between requests ---------------------------------------------------


def _reader_on(app: Flask) -> tuple[VersionReader, list[str]]:
    """The app's version reader, and the statements it sends from now on."""
    reader: VersionReader = app.extensions["porch_page_front"].versions
    sent: list[str] = []
    event.listen(reader._engine, "before_cursor_execute", lambda *args: sent.append(args[2]))
    return reader, sent


def _raise_version(app: Flask, post_id: int) -> None:
    """A commit from elsewhere (another worker's connection), not through this reader."""
    with app.app_context():
        touch_post(post_id)
        db.session.commit()


def test_sqlite_reader_remembers_a_version_until_another_connection_commits(
    tmp_path: Any,
) -> None:
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    with database_for(app):
        post = make_post()
        reader, sent = _reader_on(app)
        first = reader.read(post_version, {"slug": post.slug})
        assert reader.read(post_version, {"slug": post.slug}) == first
        assert len([s for s in sent if "FROM post" in s]) == 1  # the second was remembered
        _raise_version(app, post.id)
        assert reader.read(post_version, {"slug": post.slug}) == first + 1


def test_remembered_version_lapses_after_its_freshness(tmp_path: Any) -> None:
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")
    with database_for(app):
        post = make_post()
        reader, sent = _reader_on(app)
        reader.fresh_seconds = 0.0  # as if a second had passed: a scheduled post may be live
        reader.read(post_version, {"slug": post.slug})
        reader.read(post_version, {"slug": post.slug})
        assert len([s for s in sent if "FROM post" in s]) == 2


@pytest.mark.skipif(EXTERNAL_DATABASE_URL is None, reason="PostgreSQL notices need PostgreSQL")
def test_postgresql_reader_hears_another_connection_s_commit(app: Flask) -> None:
    post = make_post()
    reader, sent = _reader_on(app)
    first = reader.read(post_version, {"slug": post.slug})
    deadline = time.monotonic() + 5
    while reader._notices is not None and reader._notices.heard() is None:
        assert time.monotonic() < deadline, "the listener never started"
        time.sleep(0.05)
    reader.read(post_version, {"slug": post.slug})
    before = len(sent)
    assert reader.read(post_version, {"slug": post.slug}) == first
    assert len(sent) == before  # remembered, now that notices can be heard
    with reader._engine.connect() as other:  # not the app's session: only the notice tells
        other.execute(text("UPDATE post SET version = version + 1 WHERE id = :id"), {"id": post.id})
    while reader.read(post_version, {"slug": post.slug}) == first:
        assert time.monotonic() < deadline, "the notice never arrived"
        time.sleep(0.01)


@pytest.mark.skipif(EXTERNAL_DATABASE_URL is None, reason="PostgreSQL notices need PostgreSQL")
@pytest.mark.parametrize(
    "change",
    [
        "UPDATE \"user\" SET session_token = 'rotated' WHERE id = :id",
        "INSERT INTO mail_preference (user_id, notify_replies) VALUES (:id, false)",
    ],
    ids=["member's row", "mail preference"],
)
def test_postgresql_reader_hears_a_change_to_a_remembered_member(app: Flask, change: str) -> None:
    """A signed-in member is remembered between page reads like a version: a change to their
    row (say, a ban rotating their token) or mail preference from another app server is heard."""
    from forum.security.sessions import member_row

    member = make_user()
    db.session.commit()
    reader, sent = _reader_on(app)
    asked = {"session_token": member.session_token}
    deadline = time.monotonic() + 5
    while reader._notices is not None and reader._notices.heard() is None:
        assert time.monotonic() < deadline, "the listener never started"
        time.sleep(0.05)
    first = reader.read(member_row, asked)
    assert first is not None and first[2] is None
    before = len(sent)
    assert reader.read(member_row, asked) is first
    assert len(sent) == before  # remembered
    with reader._engine.connect() as other:  # not the app's session: only the notice tells
        other.execute(text(change), {"id": member.id})
    while reader.read(member_row, asked) is first:
        assert time.monotonic() < deadline, "the notice never arrived"
        time.sleep(0.01)
    now = reader.read(member_row, asked)
    if "session_token" in change:
        assert now is None  # signed out of page reads too
    else:
        assert now is not None and now[2] is False


def test_a_workers_kept_pages_stay_within_one_budget_front_and_flask_together() -> None:
    """PAGE_CACHE_MAX_BYTES is all a worker keeps of pages in its memory. With the memory
    backend two stores keep them: the front's copies, for readers without a cookie, and
    Flask's, for readers whose session holds only a token. Each had the whole budget."""
    budget = 120_000
    app = make_app(PAGE_CACHE_MAX_BYTES=budget)
    app.test_client_class = RequestScopedClient
    with database_for(app):
        posts = [make_post() for _ in range(10)]
        for post in posts:
            make_reply(post, body_source="A reply worth keeping. " * 20)
        reader = app.test_client()  # no cookie: the front keeps its copy
        with_token = app.test_client()
        with_token.get("/session/csrf")  # a session with a token only: Flask keeps its own
        for post in posts:
            for browser in (reader, with_token):
                assert browser.get(f"/t/{post.slug}").status_code == 200
        front = app.extensions["porch_page_front"].kept.held_bytes
        flask = app.extensions["porch_page_cache"].held_bytes
    assert front > 0 and flask > 0
    assert front + flask <= budget
