"""Rows page reads take from copies remembered between requests, the way page versions are
(version_reader.py): no query while nothing was committed.

The moderation and site settings, and a live post with its category: every change to them is
committed with a raise of post versions, which the reader hears (the SQLite file's change stamp,
PostgreSQL's notices, this process's own commits); a remembered copy also lapses after a
second. Writes (POST) read their rows in their own transaction, as before.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask import g
from flask import request

from forum.models import Post
from forum.services import post_snapshots
from forum.services import site_settings


def remember_settings_for_reads() -> None:
    """A before_request hook: GET and HEAD requests use the remembered settings."""
    front = _front()
    if front is None or request.method not in ("GET", "HEAD"):
        return
    site_settings.use_remembered(lambda: _settings(front))


def live_post(slug: str) -> Post | None:
    """The live post at `slug` for a page read, from a remembered copy; None if it is not
    live (a draft, a scheduled post, none) or this is no page read: look it up as usual."""
    front = _front()
    if front is None or request.method not in ("GET", "HEAD"):
        return None
    copy: Post | None = front.versions.read(post_snapshots.live_post_copy, {"slug": slug})
    return None if copy is None else post_snapshots.adopt(copy)


def forget() -> None:
    """A remembered copy turned out older than the database: the rest of this request reads
    the settings afresh too (a settings change raises every post's version)."""
    site_settings.use_stored()
    for name in ("porch_site_settings", "edit_window"):  # read once per request, from them
        g.pop(name, None)


def _front() -> Any:
    return current_app.extensions.get("porch_page_front")


def _settings(front: Any) -> dict[str, Any]:
    values: dict[str, Any] = front.versions.read(site_settings.shown_values, {})
    return values
