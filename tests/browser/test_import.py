"""The Import page in a browser: upload an export, watch the job's progress, read its report."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from playwright.sync_api import Page
from playwright.sync_api import expect

from forum.extensions import db
from forum.models import Job
from forum.models import Role
from forum.services import accounts
from forum.services.importing.tasks import run_import_job
from tests.browser.conftest import PHONE_VIEWPORT
from tests.browser.conftest import PageFactory
from tests.browser.test_accessibility import _blocking_violations
from tests.browser.test_accessibility import _report
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr

pytestmark = pytest.mark.browser

PASSWORD = "importing is a long job"
SHOTS = os.environ.get("PORCH_SCREENSHOT_DIR")  # set it to keep screenshots of the pages


@pytest.fixture
def live_app_settings(tmp_path: Path) -> dict[str, Any]:
    """A queue nobody consumes, so the test decides when the job runs and sees it wait first."""
    return {
        "JOBS_IMMEDIATE": False,
        "JOBS_QUEUE_FILE": str(tmp_path / "queue.sqlite3"),
        "IMPORT_DIR": str(tmp_path / "imports"),
    }


@pytest.fixture
def export_file(tmp_path: Path, live_app: Flask) -> Path:
    with live_app.app_context():
        user = accounts.register_local(
            email="owner@example.org", display_name="Owner", password=PASSWORD, min_length=10
        )
        user.role = Role.ADMIN
        db.session.commit()
    chain = [Comment(id=10 + n, parent=9 + n if n else 0) for n in range(6)]
    items = [
        Item(1, "Hello from WordPress", "hello", comments=chain),
        Item(2, "About", "about", kind="page"),
    ]
    path = tmp_path / "my-blog.xml"
    path.write_text(wxr(items), encoding="utf-8")
    return path


def _sign_in(page: Page) -> None:
    page.goto("/account/login")
    page.get_by_label("Email", exact=True).fill("owner@example.org")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("link", name="Owner")).to_be_visible()


def _upload(page: Page, path: Path) -> None:
    page.goto("/mod/settings/import")
    page.get_by_label("Export from").select_option("wordpress")
    page.get_by_label("Export file").set_input_files(str(path))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", name="Importing my-blog.xml")).to_be_visible()


def _run_the_worker(app: Flask) -> None:
    with app.app_context():
        job_id = db.session.query(Job.id).scalar()
        run_import_job.call_local(job_id)


def _shot(page: Page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)


def test_import_upload_shows_the_job_waiting_then_its_report(
    page: Page, live_app: Flask, export_file: Path
) -> None:
    _sign_in(page)
    _upload(page, export_file)
    expect(page.get_by_role("status")).to_have_text("Waiting for a worker")
    _shot(page, "import-job-waiting-1280")
    _run_the_worker(live_app)
    # The page polls the job and shows the server's report once it has finished.
    expect(page.get_by_role("heading", name="Report")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Finished")
    expect(
        page.get_by_text("Imported: 1 account, 1 category, 6 comments, 1 page, 1 post.")
    ).to_be_visible()
    assert page.locator("progress").get_attribute("value") == "100"
    _shot(page, "import-job-finished-1280")
    page.goto("/mod/settings/import")
    expect(page.get_by_role("link", name="my-blog.xml")).to_be_visible()
    _shot(page, "import-page-1280")


def test_import_works_without_javascript(
    new_page: PageFactory, live_app: Flask, export_file: Path
) -> None:
    page = new_page(java_script_enabled=False)
    _sign_in(page)
    _upload(page, export_file)
    _run_the_worker(live_app)
    page.get_by_role("link", name="Refresh").click()
    expect(page.get_by_text("Imported: 1 account")).to_be_visible()


def test_import_pages_fit_a_phone(
    new_page: PageFactory, live_app: Flask, export_file: Path
) -> None:
    page = new_page(viewport=PHONE_VIEWPORT, is_mobile=True, has_touch=True)
    _sign_in(page)
    _upload(page, export_file)
    _run_the_worker(live_app)
    expect(page.get_by_role("heading", name="Report")).to_be_visible()
    _shot(page, "import-job-finished-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    found = _blocking_violations(page, "finished import job")
    page.goto("/mod/settings/import")
    _shot(page, "import-page-375")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    found += _blocking_violations(page, "import page")
    assert not found, _report(found)
