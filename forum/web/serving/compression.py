"""gzip for text responses when the client accepts it and no proxy does it for us."""

from __future__ import annotations

import gzip

from flask import Flask
from flask import Response
from flask import current_app
from flask import request

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/plain",
        "text/xml",
        "text/javascript",
        "application/javascript",
        "application/json",
        "application/xml",
        "application/atom+xml",
        "image/svg+xml",
    }
)


def _worth_compressing(response: Response) -> bool:
    return (
        response.mimetype in COMPRESSIBLE
        and 200 <= response.status_code < 300
        and response.status_code != 204
        and not response.direct_passthrough  # files sent from disk
        and not response.is_streamed
        and "Content-Encoding" not in response.headers
        and request.method != "HEAD"
    )


def compress(response: Response) -> Response:
    """Gzip the body; caches learn from Vary that the encoding depends on Accept-Encoding."""
    if not _worth_compressing(response):
        return response
    response.vary.add("Accept-Encoding")
    if request.accept_encodings["gzip"] <= 0:
        return response
    body = response.get_data()
    if len(body) < int(current_app.config["COMPRESS_MIN_BYTES"]):
        return response
    response.set_data(gzip.compress(body, compresslevel=6))
    response.headers["Content-Encoding"] = "gzip"
    etag, weak = response.get_etag()
    if etag and not weak:  # other bytes than the identity body: no longer strongly equal
        response.set_etag(etag, weak=True)
    return response


def register(app: Flask) -> None:
    # after_request hooks run in reverse order: first in the list runs last, so every other
    # hook (a page cache storing the body, say) sees the body uncompressed.
    app.after_request_funcs.setdefault(None, []).insert(0, compress)
