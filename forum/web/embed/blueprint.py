"""The embed blueprint, shared by the widget's view modules, with its per-request checks."""

from __future__ import annotations

from flask import Blueprint
from flask import request

from forum.web.embed import frame
from forum.web.embed import session

bp = Blueprint("embed", __name__)
bp.after_request(frame.frame_headers)


@bp.before_request
def _widget_csrf() -> None:
    """Writes signed in by the widget cookie need this session's token (see session.py).

    Claiming a session is exempt: the handoff code it carries is the proof.
    """
    if request.method == "POST" and request.endpoint != "embed.claim":
        session.check_csrf()
