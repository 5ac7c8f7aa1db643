"""Admin page "Import": upload a WordPress or Disqus export, then watch its job run."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.extensions import csrf
from forum.services import importing
from forum.services import jobs
from forum.web.importing.forms import ImportForm
from forum.web.importing.presenters import present_job
from forum.web.staff import current_moderator
from forum.web.staff import guard

bp = Blueprint("importing", __name__, url_prefix="/mod/settings/import")
guard(bp, admin_only=True)


@bp.before_request
def _allow_large_upload() -> None:
    """Export files are large; only this page accepts more than PORCH_MAX_CONTENT_LENGTH."""
    if request.endpoint == "importing.create":
        request.max_content_length = int(current_app.config["IMPORT_MAX_BYTES"])


def _page(form: ImportForm, status: int = 200) -> ResponseReturnValue:
    recent = [present_job(job) for job in jobs.recent(kind="import")]
    limit_mb = int(current_app.config["IMPORT_MAX_BYTES"]) // (1024 * 1024)
    return render_template("importing/new.html", form=form, jobs=recent, limit_mb=limit_mb), status


@bp.get("")
def new() -> ResponseReturnValue:
    return _page(ImportForm())


# The app-wide CSRF check would read the body before this blueprint raises the size limit, so
# the token is checked here instead (the cross-origin check has run already): a missing or
# stale one gets the same "form expired" page as everywhere else, not a silent form error.
@csrf.exempt
@bp.post("")
def create() -> ResponseReturnValue:
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    upload = form.file.data
    job = importing.start_job(
        admin=current_moderator(),
        kind=form.source.data,
        upload=upload.stream,
        filename=upload.filename or "export.xml",
        import_dir=Path(current_app.config["IMPORT_DIR"]),
        with_pingbacks=form.with_pingbacks.data,
    )
    return redirect(url_for("importing.show", job_id=job.id), code=303)


@bp.get("/<int:job_id>")
def show(job_id: int) -> ResponseReturnValue:
    job = present_job(jobs.find(job_id, kind="import"))
    return render_template("importing/show.html", job=job)


@bp.get("/<int:job_id>/progress")
def progress(job_id: int) -> ResponseReturnValue:
    """What the job page's script polls: status, counts and, once finished, the report."""
    return jsonify(present_job(jobs.find(job_id, kind="import")))
