"""The admin Export page and its two downloads; nobody else may fetch them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.models import Role
from tests.conftest import login_on
from tests.export_site import PASSWORD
from tests.export_site import fill_site
from tests.factories import make_user

PAGES = [
    "/mod/settings/export/",
    "/mod/settings/export/porch.json",
    "/mod/settings/export/wordpress.xml",
]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize("role", [Role.MODERATOR, Role.MEMBER])
def test_export_pages_for_non_admins_are_403(client: FlaskClient, path: str, role: Role) -> None:
    login_on(client, make_user(role=role))
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_export_pages_send_guests_to_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_export_page_offers_both_downloads_to_an_admin(client: FlaskClient) -> None:
    login_on(client, make_user(role=Role.ADMIN))
    page = client.get("/mod/settings/export/").get_data(as_text=True)
    assert "Download JSON export" in page and "Download WordPress export" in page
    assert 'href="/mod/settings/export/porch.json"' in page
    assert 'aria-current="page">Export</a>' in page


def test_json_download_streams_the_whole_site_without_passwords(
    app: Flask, client: FlaskClient
) -> None:
    site = fill_site()
    admin = login_on(client, make_user(role=Role.ADMIN))
    response = client.get("/mod/settings/export/porch.json")
    assert response.status_code == 200 and response.is_streamed
    assert response.headers["Content-Disposition"].startswith('attachment; filename="porch-export-')
    assert response.headers["Cache-Control"] == "no-store"
    text = response.get_data(as_text=True)
    assert (
        site.password_hash not in text and admin.session_token not in text and PASSWORD not in text
    )
    document = json.loads(text)
    assert len(document["tables"]["reply"]) == len(site.reply_ids)


def test_wordpress_download_is_wxr_with_links_to_this_site(app: Flask, client: FlaskClient) -> None:
    site = fill_site()
    login_on(client, make_user(role=Role.ADMIN))
    response = client.get("/mod/settings/export/wordpress.xml")
    assert response.status_code == 200 and response.mimetype == "application/xml"
    assert 'filename="porch-wordpress-' in response.headers["Content-Disposition"]
    root = ET.fromstring(response.get_data())
    links = [item.findtext("link", "") for item in root.iter("item")]
    assert len(links) == 2 and all(link.startswith("http://localhost/t/post-") for link in links)
    assert len(list(root.iter("{http://wordpress.org/export/1.2/}comment"))) == len(site.reply_ids)
