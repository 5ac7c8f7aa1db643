"""The Import page: an admin uploads an export, a job runs it, its page shows the report."""

from __future__ import annotations

import io
import re
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Job
from forum.models import JobStatus
from forum.models import Post
from forum.models import Role
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr
from tests.factories import make_user

URL = "/mod/settings/import"


def _upload(client: FlaskClient, content: bytes, source: str = "wordpress", **extra: Any) -> Any:
    data = {"source": source, "file": (io.BytesIO(content), "blog.xml"), **extra}
    return client.post(URL, data=data, content_type="multipart/form-data")


def _blog(comments: int = 2) -> bytes:
    items = [Item(1, "Hello", "hello", comments=[Comment(id=n + 1) for n in range(comments)])]
    return wxr(items).encode()


def test_upload_runs_an_import_job_and_shows_its_report(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN))
    response = _upload(client, _blog())
    assert response.status_code == 303
    page = client.get(response.headers["Location"])
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Finished" in text
    assert "Imported: 1 account, 1 category, 2 comments, 1 post." in text
    assert db.session.scalar(select(func.count(Post.id))) == 1


def test_progress_endpoint_answers_json_with_counts(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN))
    location = _upload(client, _blog()).headers["Location"]
    job = client.get(location + "/progress").get_json()
    assert job["status"] == "done" and job["finished"] and job["percent"] == 100
    assert job["counts"] == f"{job['total']} of {job['total']} records"
    assert job["report"][0].startswith("Imported:")


def test_upload_larger_than_the_site_limit_is_accepted_here_only(
    client: FlaskClient, login: Any, app: Flask
) -> None:
    login(make_user(role=Role.ADMIN))
    big = _blog(comments=450)  # under 500 KiB, where the test client would spool to a file
    assert len(big) > app.config["MAX_CONTENT_LENGTH"]
    assert _upload(client, big).status_code == 303
    elsewhere = client.post("/mod/settings/site", data={"site_name": "x" * len(big)})
    assert elsewhere.status_code == 413


def test_upload_without_a_file_keeps_the_form_with_a_message(
    client: FlaskClient, login: Any
) -> None:
    login(make_user(role=Role.ADMIN))
    response = client.post(URL, data={"source": "wordpress"}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose the export file to upload." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_broken_upload_job_page_shows_the_line_and_reason(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN))
    location = _upload(client, _blog()[:700]).headers["Location"]
    text = client.get(location).get_data(as_text=True)
    assert "Failed" in text and re.search(r"line \d+", text) and "Nothing was imported" in text
    assert db.session.scalars(select(Job)).one().status is JobStatus.FAILED


def test_import_page_lists_recent_imports(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN))
    _upload(client, _blog())
    text = client.get(URL).get_data(as_text=True)
    assert "blog.xml" in text and "Finished" in text


def test_upload_needs_the_csrf_token(csrf_client: FlaskClient) -> None:
    admin = make_user(role=Role.ADMIN)
    from tests.conftest import login_on

    login_on(csrf_client, admin)
    response = _upload(csrf_client, _blog())
    assert response.status_code == 400
    assert "missing or invalid CSRF token" in response.get_data(as_text=True)  # says why
    assert db.session.scalar(select(func.count(Job.id))) == 0


def test_large_upload_with_its_token_is_accepted_with_csrf_on(csrf_client: FlaskClient) -> None:
    from tests.conftest import login_on

    login_on(csrf_client, make_user(role=Role.ADMIN))
    token = csrf_client.get("/session/csrf").get_json()["csrf_token"]
    big = _blog(comments=450)  # the token is read only after the size limit is raised
    assert len(big) > csrf_client.application.config["MAX_CONTENT_LENGTH"]
    assert _upload(csrf_client, big, csrf_token=token).status_code == 303


def test_unknown_job_is_404(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN))
    assert client.get(URL + "/999").status_code == 404


def test_imported_post_with_a_greek_slug_is_served(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN))
    items = [Item(1, "Επίπεδο", "%ce%b5%cf%80%ce%af%cf%80%ce%b5%ce%b4%ce%bf")]
    _upload(client, wxr(items).encode())
    post = db.session.scalars(select(Post)).one()
    assert post.slug == "επιπεδο"
    assert client.get(f"/t/{post.slug}").status_code == 200
