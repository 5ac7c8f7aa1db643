"""Serving: probes, request ids and log lines, gzip, and the Prometheus metrics page."""

from __future__ import annotations

import gzip
import json
import logging
import os
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient

from forum import observability
from forum.logging_setup import JsonFormatter
from forum.logging_setup import RequestIdFilter
from forum.web.serving.requestlog import request_id
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply

GZIP = {"Accept-Encoding": "gzip, deflate"}


def _client(**settings: Any) -> Any:
    app = make_app(**settings)
    app.test_client_class = RequestScopedClient
    return app, app.test_client()


def test_healthz_with_process_up_answers_ok(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}


def test_readyz_with_tables_not_made_by_migrations_answers_503(client: FlaskClient) -> None:
    response = client.get("/readyz")  # tests build tables without Alembic: no revision stamped
    assert response.status_code == 503
    assert "database" in response.get_json()["reasons"][0]


def test_readyz_with_redis_unreachable_answers_503_naming_redis() -> None:
    app, client = _client(REDIS_URL="redis://127.0.0.1:1/0")
    with database_for(app):
        body = client.get("/readyz").get_json()
    assert body["status"] == "unavailable"
    assert any(reason.startswith("redis: does not answer") for reason in body["reasons"])


def test_request_without_id_gets_a_fresh_one_echoed(client: FlaskClient) -> None:
    first = client.get("/healthz").headers["X-Request-Id"]
    second = client.get("/healthz").headers["X-Request-Id"]
    assert len(first) == 32 and first != second


def test_a_forked_worker_makes_ids_of_its_own() -> None:
    """gunicorn forks its workers from one process: their ids must not repeat each other's."""
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the worker: send two ids, then leave without running pytest's teardown
        os.write(writer, (request_id("", False) + request_id("", False)).encode())
        os._exit(0)
    os.close(writer)
    os.waitpid(child, 0)
    with os.fdopen(reader) as pipe:
        sent = pipe.read()
    theirs = {sent[:32], sent[32:]}
    ours = {request_id("", False) for _ in range(2)}
    assert len(theirs | ours) == 4
    assert {i[:16] for i in theirs} != {i[:16] for i in ours}  # a prefix per process


def test_request_id_from_untrusted_client_is_replaced(client: FlaskClient) -> None:
    response = client.get("/healthz", headers={"X-Request-Id": "chosen-by-client"})
    assert response.headers["X-Request-Id"] != "chosen-by-client"


def test_request_id_from_trusted_proxy_is_kept() -> None:
    app, client = _client(TRUSTED_PROXIES=1)
    with database_for(app):
        response = client.get("/healthz", headers={"X-Request-Id": "abc123-nginx"})
        forged = client.get("/healthz", headers={"X-Request-Id": "bad id with spaces"})
    assert response.headers["X-Request-Id"] == "abc123-nginx"
    assert forged.headers["X-Request-Id"] != "bad id with spaces"


def test_request_logs_one_json_line_with_its_id(
    client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="porch.request"):
        response = client.get("/healthz?x=1")
    record = next(r for r in caplog.records if r.name == "porch.request")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == response.headers["X-Request-Id"]
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert line["duration_ms"] >= 0 and line["level"] == "INFO"


@pytest.mark.parametrize(
    "created",
    [0.0, 1.0009994, 1.0009996, 1.9999994, 1.9999996, 1691939978.9759998, 1767225599.9995],
)
def test_log_time_is_spelled_as_datetime_spells_it_even_at_rounding_edges(created: float) -> None:
    """The formatter spells each second once; the milliseconds must round as datetime's do."""
    formatter = JsonFormatter()
    record = logging.makeLogRecord({"msg": "x", "created": created - 1})
    formatter.format(record)  # the second before is remembered: the next must not reuse it
    record = logging.makeLogRecord({"msg": "x", "created": created})
    spelled = datetime.fromtimestamp(created, UTC).isoformat(timespec="milliseconds")
    assert json.loads(formatter.format(record))["time"] == spelled


def test_page_with_gzip_accepted_is_compressed_and_varies(client: FlaskClient) -> None:
    post = make_post()
    plain = client.get(f"/t/{post.slug}")
    packed = client.get(f"/t/{post.slug}", headers=GZIP)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.get_data()) == plain.get_data()
    assert "Content-Encoding" not in plain.headers and "Accept-Encoding" in plain.headers["Vary"]


def test_other_after_request_hooks_see_the_body_uncompressed() -> None:
    app, client = _client()
    seen: list[bytes] = []

    @app.after_request
    def _store(response: Any) -> Any:  # as a page cache would, registered after create_app
        seen.append(response.get_data()[:15])
        return response

    with database_for(app):
        post = make_post()
        response = client.get(f"/t/{post.slug}", headers=GZIP)
    assert response.headers["Content-Encoding"] == "gzip"
    assert seen == [b"<!doctype html>"]


def test_small_response_is_not_compressed(client: FlaskClient) -> None:
    assert "Content-Encoding" not in client.get("/healthz", headers=GZIP).headers


def test_gzip_refused_with_q0_sends_identity(client: FlaskClient) -> None:
    post = make_post()
    response = client.get(f"/t/{post.slug}", headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in response.headers


def test_compression_off_when_proxy_compresses() -> None:
    app, client = _client(COMPRESS=False)
    with database_for(app):
        post = make_post()
        response = client.get(f"/t/{post.slug}", headers=GZIP)
    assert "Content-Encoding" not in response.headers


def test_metrics_when_off_are_404(client: FlaskClient) -> None:
    assert client.get("/metrics").status_code == 404


@pytest.mark.usefixtures("open_rules")
def test_metrics_when_on_count_requests_replies_cache_and_queue() -> None:
    app, client = _client(METRICS=True)
    with database_for(app):
        from tests.factories import set_rules

        set_rules(
            hold_first_time=False, flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01
        )
        post = make_post()
        make_reply(post=post, status="pending")
        before = observability.REPLIES_POSTED._value.get()
        hits, misses = (
            c._value.get() for c in (observability.CACHE_HITS, observability.CACHE_MISSES)
        )
        client.get(f"/t/{post.slug}")  # an anonymous page: stored
        client.get(f"/t/{post.slug}")  # and answered from the cache
        guest = {"name": "Ada", "email": "ada@example.org", "body": "Hello there"}
        assert client.post(f"/t/{post.slug}/replies", data=guest).status_code == 303
        text = client.get("/metrics").get_data(as_text=True)
    assert observability.REPLIES_POSTED._value.get() == before + 1
    assert observability.CACHE_MISSES._value.get() == misses + 1
    assert observability.CACHE_HITS._value.get() == hits + 1
    assert 'porch_http_request_duration_seconds_count{endpoint="threads.show",method="GET"}' in text
    assert "porch_replies_posted_total" in text and "porch_cache_hits_total" in text
    assert "porch_moderation_queue_length 1.0" in text
