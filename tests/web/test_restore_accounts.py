"""After a restore, account holders get back in through password reset."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import delete

from forum.errors import InvalidInput
from forum.extensions import db
from forum.mail import plain_text
from forum.mail import read_outbox
from forum.services import accounts
from forum.services.exporting.json_export import write_export
from forum.services.exporting.json_restore import restore
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import make_app
from tests.export_site import ADMIN_EMAIL
from tests.export_site import PASSWORD
from tests.export_site import fill_site


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Flask]:
    app = make_app(MAIL_DIR=str(tmp_path / "mail"))
    app.test_client_class = RequestScopedClient
    with database_for(app):
        yield app


def test_restored_admin_resets_the_password_and_signs_in(site: Flask, tmp_path: Path) -> None:
    fill_site()
    exported = io.StringIO()
    write_export(db.engine, exported)
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()
    restore(db.engine, io.StringIO(exported.getvalue()))
    email = ADMIN_EMAIL
    with pytest.raises(InvalidInput):  # the password did not travel
        accounts.authenticate(email=email, password=PASSWORD)
    browser = site.test_client()
    assert "Check your email" in browser.post("/account/reset", data={"email": email}).get_data(
        as_text=True
    )
    body = plain_text(read_outbox(tmp_path / "mail")[-1])
    link = re.search(r"http://localhost(/\S+)", body).group(1)  # type: ignore[union-attr]
    new = "a new long passphrase"
    assert browser.post(link, data={"password": new, "confirm": new}).status_code == 303
    assert accounts.authenticate(email=email, password=new).display_name == "Ädmin"
