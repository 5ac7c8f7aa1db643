"""Page reads take the moderation and site settings from values remembered between requests,
the way page versions are (version_reader.py): no query while nothing was committed.

Every change to these settings is committed with a raise of every post's version, which the
reader hears (SQLite's data_version, PostgreSQL's notices, this process's own commits); a
remembered value also lapses after a second. Writes (POST) read the rows in their own
transaction, as before.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask import request

from forum.services import site_settings


def remember_for_reads() -> None:
    """A before_request hook: GET and HEAD requests use the remembered settings."""
    front = current_app.extensions.get("porch_page_front")
    if front is None or request.method not in ("GET", "HEAD"):
        return
    site_settings.use_remembered(lambda: _read(front))


def _read(front: Any) -> dict[str, Any]:
    values: dict[str, Any] = front.versions.read(site_settings.shown_values, {})
    return values
