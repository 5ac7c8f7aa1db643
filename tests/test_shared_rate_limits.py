"""With PORCH_REDIS_URL set, rate limits are shared by every worker (here: two app instances)."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import redis

from forum.extensions import db
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import make_app

REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_available() -> bool:
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5) as client:
            return bool(client.ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_available(), reason="no Redis server at 127.0.0.1:6379")
def test_two_workers_share_the_sign_in_limit_through_redis(tmp_path: Path) -> None:
    prefix = f"porch-test-{uuid.uuid4().hex}"  # keeps runs apart on a shared Redis
    settings = {
        "REDIS_URL": REDIS_URL,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'shared.sqlite3'}",  # one database, two workers
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_KEY_PREFIX": prefix,
        "LOGIN_RATE_LIMIT": "3 per minute",
    }
    first, second = make_app(**settings), make_app(**settings)
    assert first.config["RATELIMIT_STORAGE_URI"] == REDIS_URL
    data = {"email": "x@example.org", "password": "wrong password"}
    with database_for(first):
        for app in (first, second):
            app.test_client_class = RequestScopedClient
        codes = [
            first.test_client().post("/account/login", data=data).status_code for _ in range(2)
        ]
        codes.append(second.test_client().post("/account/login", data=data).status_code)
        codes.append(second.test_client().post("/account/login", data=data).status_code)
    with second.app_context():
        db.engine.dispose()
    assert codes == [400, 400, 400, 429]
    with redis.Redis.from_url(REDIS_URL) as client:
        for key in client.scan_iter(f"{prefix}*"):
            client.delete(key)
