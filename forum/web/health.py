"""Addresses machines ask for: /healthz for load balancers, /favicon.ico for browsers."""

from __future__ import annotations

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import send_from_directory
from flask.typing import ResponseReturnValue
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
    """200 when the database answers and is migrated; 503 with the reason otherwise."""
    try:
        db.session.execute(text("SELECT 1"))
        check_schema(db.engine)
    except (SQLAlchemyError, SchemaOutOfDate) as error:
        return jsonify(status="unavailable", reason=type(error).__name__), 503
    return jsonify(status="ok")


@bp.get("/favicon.ico")
@limiter.exempt
def favicon() -> ResponseReturnValue:
    """Browsers ask for this address on every site, whatever the page links to."""
    assert current_app.static_folder is not None  # create_app always sets it
    return send_from_directory(current_app.static_folder, "favicon.ico", max_age=86_400)
