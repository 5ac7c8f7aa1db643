"""Addresses machines ask for: /healthz and /readyz for probes, /favicon.ico for browsers."""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import send_from_directory
from flask.typing import ResponseReturnValue
from redis import Redis
from redis import RedisError
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from forum.database import SchemaOutOfDate
from forum.database import check_schema
from forum.extensions import db
from forum.extensions import limiter

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@limiter.exempt
def show() -> ResponseReturnValue:
    """200 while the process answers: restart it when this fails (liveness)."""
    return jsonify(status="ok")


@bp.get("/readyz")
@limiter.exempt
def ready() -> ResponseReturnValue:
    """200 when the database answers and is migrated and Redis (if set) answers; else 503."""
    reasons = _database_problems() + _redis_problems()
    if reasons:
        return jsonify(status="unavailable", reasons=reasons), 503
    return jsonify(status="ok")


def _database_problems() -> list[str]:
    try:
        db.session.execute(text("SELECT 1"))
        check_schema(db.engine)
    except SchemaOutOfDate as error:
        return [f"database: {error}"]
    except SQLAlchemyError as error:
        db.session.rollback()
        return [f"database: does not answer ({type(error).__name__})"]
    return []


def _redis_problems() -> list[str]:
    url = current_app.config["REDIS_URL"]
    if not url:
        return []
    try:
        with Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1) as client:
            client.ping()
    except RedisError as error:
        return [f"redis: does not answer ({type(error).__name__})"]
    return []


@bp.get("/favicon.ico")
@limiter.exempt
def favicon() -> ResponseReturnValue:
    """Browsers ask for this address on every site, whatever the page links to."""
    assert current_app.static_folder is not None  # nosec B101  # create_app always sets it
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86_400)
