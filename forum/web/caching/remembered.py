"""Rows page reads take from copies remembered between requests, the way page versions are
(version_reader.py): no query while nothing was committed.

The moderation and site settings, and a live post with its category: every change to them is
committed with a raise of post versions, which the reader hears (the SQLite file's change stamp,
PostgreSQL's notices, this process's own commits); a remembered copy also lapses after a
second. The signed-in member (security/sessions.py) and the viewer's likes and own replies
(services/viewer_replies.py) likewise: likes and replies raise post versions too, and the
member's row, notifications and mail preference send PostgreSQL notices of their own.

Except for a visitor who just sent a form: what it changed may have been committed by another
process, whose notice may not have arrived when their next page is asked for (the form's
redirect). Their session notes when they last sent one, and for a few seconds after (and while
a flash message waits) their pages read everything afresh. A remembered copy is never older
than its lapse, so this is as long as any copy from before their change can live. Writes (POST)
read their rows in their own transaction, as before.
"""

from __future__ import annotations

import time

from flask import Response
from flask import current_app
from flask import g
from flask import request
from flask import session

from forum.models import Post
from forum.security import sessions
from forum.services import post_snapshots
from forum.services import site_settings
from forum.services.viewer_replies import Reader

# Session key: when (Unix seconds) this visitor last sent a form that was taken.
SENT_AT = "porch_sent_at"
# Read afresh for this long after: a remembered copy lapses in a second (version_reader.py),
# and app servers' clocks may differ a little.
_AFRESH_SECONDS = 5


def remember_for_reads() -> None:
    """A before_request hook: page reads use the remembered settings and member."""
    read = reader()
    if read is None:
        return
    site_settings.use_remembered(lambda: read(site_settings.shown_values, {}))
    sessions.use_remembered_members(
        lambda token: read(sessions.member_row, {"session_token": token})
    )


def note_form_sent(response: Response) -> Response:
    """An after_request hook: a visitor with a session whose form (any POST, PUT, DELETE) was
    taken reads afresh for a few seconds (see the top)."""
    if request.method not in ("GET", "HEAD", "OPTIONS") and response.status_code < 400:
        if session:  # an API client with a token, or a refused form, gets no cookie for it
            session[SENT_AT] = int(time.time())
    return response


def reader() -> Reader | None:
    """For a page read, the reader of rows remembered between requests; else None: read them
    as usual."""
    front = current_app.extensions.get("porch_page_front")
    if front is None or request.method not in ("GET", "HEAD") or _sent_a_form_lately():
        return None
    read: Reader = front.versions.read
    return read


def _sent_a_form_lately() -> bool:
    if "_flashes" in session:
        return True
    sent_at = session.get(SENT_AT)
    return isinstance(sent_at, int) and time.time() - sent_at < _AFRESH_SECONDS


def live_post(slug: str) -> Post | None:
    """The live post at `slug` for a page read, from a remembered copy; None if it is not
    live (a draft, a scheduled post, none) or this is no page read: look it up as usual."""
    read = reader()
    if read is None:
        return None
    copy: Post | None = read(post_snapshots.live_post_copy, {"slug": slug})
    return None if copy is None else post_snapshots.adopt(copy)


def forget() -> None:
    """A remembered copy turned out older than the database: the rest of this request reads
    the settings afresh too (a settings change raises every post's version)."""
    site_settings.use_stored()
    for name in ("porch_site_settings", "edit_window"):  # read once per request, from them
        g.pop(name, None)
