"""GET /metrics: Prometheus text format, only when PORCH_METRICS is on (404 otherwise)."""

from __future__ import annotations

from flask import Blueprint
from flask import Response
from flask import current_app

from forum import observability
from forum.errors import NotFound
from forum.extensions import limiter
from forum.i18n import _
from forum.services.moderation import queue

bp = Blueprint("metrics", __name__)
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def _pending() -> int:
    return queue.counts()[queue.Tab.PENDING]


@bp.get("/metrics")
@limiter.exempt
def show() -> Response:
    """Keep it off the public internet: the proxy recipe answers 404 for /metrics."""
    if not current_app.config["METRICS"]:
        raise NotFound(_("There is no page at this address."))
    body = observability.scrape(_pending, current_app.config["METRICS_DIR"])
    return Response(body, content_type=CONTENT_TYPE)
