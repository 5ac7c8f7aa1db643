"""Generated avatars: a coloured disc with an initial, made here so no third party is called."""

from __future__ import annotations

import hashlib
import hmac

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import request
from flask import url_for

from forum.models import Reply
from forum.models import User

bp = Blueprint("avatars", __name__)

_PALETTE = ("#8c4a2f", "#2f6f8c", "#5b2f8c", "#2f8c5b", "#8c2f5b", "#6f8c2f", "#2f4f8c", "#8c7a2f")


def avatar_key(identity: str) -> str:
    """A keyed hash, so an avatar URL never reveals or confirms a guest's email."""
    secret = current_app.config["SECRET_KEY"].encode()
    return hmac.new(secret, identity.lower().encode(), hashlib.sha256).hexdigest()[:16]


def _generated(identity: str, name: str) -> str:
    initial = (name.strip()[:1] or "?").upper()
    return url_for("avatars.show", key=avatar_key(identity), i=initial)


def avatar_url_for_user(user: User) -> str:
    """The member's chosen provider picture, or a generated one."""
    return user.avatar_url or _generated(f"user:{user.id}", user.display_name)


def avatar_url_for(reply: Reply) -> str:
    if reply.author is not None:
        return avatar_url_for_user(reply.author)
    return _generated(
        f"guest:{reply.guest_email or reply.guest_name or reply.id}", reply.author_name
    )


@bp.get("/avatar/<key>.svg")
def show(key: str) -> Response:
    initial = (request.args.get("i", "?")[:1] or "?").upper()
    if not initial.isalnum():
        initial = "?"
    colour = _PALETTE[int(hashlib.sha256(key.encode()).hexdigest(), 16) % len(_PALETTE)]
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40" width="40" height="40">'
        f'<circle cx="20" cy="20" r="20" fill="{colour}"/>'
        '<text x="20" y="26" font-family="system-ui,sans-serif" font-size="18" '
        f'text-anchor="middle" fill="#fff">{initial}</text></svg>'
    )
    response = Response(svg, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 86400 * 30
    return response
