"""Serving concerns: request ids and the per-request log line, gzip, and /metrics."""

from __future__ import annotations

from flask import Flask

from forum.web.serving import compression
from forum.web.serving import metrics
from forum.web.serving import requestlog


def register(app: Flask) -> None:
    """Request ids first of all hooks; compression after every other after_request hook."""
    requestlog.register(app)
    app.register_blueprint(metrics.bp)
    if app.config["COMPRESS"]:
        compression.register(app)
