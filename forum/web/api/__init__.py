"""JSON API under /api/v1: the same services as the pages, token or session authenticated."""

from __future__ import annotations

from flask import Flask
from flask import Response
from flask import g
from flask import jsonify
from flask import request
from flask import session
from flask.typing import ResponseReturnValue

from forum.errors import API_PREFIX
from forum.extensions import csrf
from forum.web.api import administering  # noqa: F401  (registers its routes)
from forum.web.api import auditing  # noqa: F401
from forum.web.api import banning  # noqa: F401
from forum.web.api import cors
from forum.web.api import moderating  # noqa: F401
from forum.web.api import moderating_replies  # noqa: F401
from forum.web.api import reading  # noqa: F401
from forum.web.api import schemas
from forum.web.api import searching  # noqa: F401
from forum.web.api import tokens_page
from forum.web.api import writing  # noqa: F401
from forum.web.api.auth import Caller
from forum.web.api.auth import load_caller
from forum.web.api.blueprint import bp
from forum.web.api.blueprint import route
from forum.web.api.spec import document
from forum.web.caching.origin import allow_cross_origin


@route("/openapi.json", "GET", summary="This document", scope="read", response=schemas.OPENAPI)
def openapi() -> ResponseReturnValue:
    return jsonify(document(API_PREFIX))


def _cache_headers(response: Response) -> Response:
    """Anonymous reads are public for a proxy's s-maxage, with an ETag; the rest private."""
    who: Caller | None = g.get("api_caller")
    anonymous = (
        request.method == "GET"
        and response.status_code == 200
        and who is not None
        and who.user is None
        and not who.by_token
        and not session
    )
    response.vary.update(("Cookie", "Authorization"))
    if not anonymous:
        response.headers["Cache-Control"] = "private, no-cache"
        return response
    response.headers["Cache-Control"] = "public, max-age=0, s-maxage=10"
    response.add_etag()
    response.make_conditional(request)  # 304 and no body when If-None-Match matches
    return response


bp.before_request(load_caller)
bp.after_request(_cache_headers)


def register(app: Flask) -> None:
    csrf.exempt(bp)  # session writes are checked in load_caller; token writes carry no cookie
    app.before_request(cors.preflight)
    app.after_request(cors.cors_headers)
    allow_cross_origin(cors.trusted_cross_origin)
    app.register_blueprint(bp)
    app.register_blueprint(tokens_page.bp)
    app.context_processor(lambda: {"api_token_settings": tokens_page.token_settings})
