"""GET /healthz for load balancers: 200 when the database answers and is migrated."""

from __future__ import annotations

from flask import Blueprint
from flask import jsonify
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
    try:
        db.session.execute(text("SELECT 1"))
        check_schema(db.engine)
    except (SQLAlchemyError, SchemaOutOfDate) as error:
        return jsonify(status="unavailable", reason=type(error).__name__), 503
    return jsonify(status="ok")
