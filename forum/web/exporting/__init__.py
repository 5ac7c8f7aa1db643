"""Admin downloads: the JSON export and the WordPress (WXR) export, streamed as they are read.

Each download is read and written row by row inside the request, so memory stays flat; a very
large site may still want `porch export` from the command line (or a background job, later).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from datetime import datetime

from flask import Blueprint
from flask import Response
from flask import current_app
from flask import render_template
from flask import stream_with_context
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.extensions import db
from forum.services import site_settings
from forum.services.exporting.json_export import iter_export
from forum.services.exporting.wxr import WxrSite
from forum.services.exporting.wxr import iter_wxr
from forum.web.staff import guard

bp = Blueprint("exporting", __name__, url_prefix="/mod/settings/export")
guard(bp, admin_only=True)


def wxr_site() -> WxrSite:
    """The site as the WXR channel names it; needs a request context for the links."""
    return WxrSite(
        title=site_settings.site_settings().site_name or current_app.config["SITE_NAME"],
        base_url=url_for("threads.index", _external=True),
        post_link=lambda slug: url_for("threads.show", slug=slug, _external=True),
    )


def _download(chunks: Iterator[str], filename: str, mimetype: str) -> Response:
    response = Response(stream_with_context(chunks), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"  # personal data: keep it out of caches
    return response


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%d-%H%M")


@bp.get("/")
def index() -> ResponseReturnValue:
    return render_template("exporting/index.html")


@bp.get("/porch.json")
def download_json() -> ResponseReturnValue:
    return _download(iter_export(db.engine), f"porch-export-{_stamp()}.json", "application/json")


@bp.get("/wordpress.xml")
def download_wordpress() -> ResponseReturnValue:
    return _download(
        iter_wxr(db.engine, wxr_site()), f"porch-wordpress-{_stamp()}.xml", "application/xml"
    )
