"""The dashboard's Mail page: addresses that bounce (mail stopped) and the outbox's state."""

from __future__ import annotations

from flask import Blueprint
from flask import render_template
from flask.typing import ResponseReturnValue

from forum.services.mail import addresses
from forum.services.mail import outbox
from forum.web.staff import guard

bp = Blueprint("bounces", __name__, url_prefix="/mod/mail")
guard(bp)


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template(
        "bounces/index.html", bouncing=addresses.bouncing(), counts=outbox.status_counts()
    )
