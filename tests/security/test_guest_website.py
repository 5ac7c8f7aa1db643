"""A guest's website becomes the href of their name, so every path that stores one refuses or
drops anything but an http(s) address: the reply form already did, the API and the importers
did not (a `javascript:` website ran when a reader clicked the name)."""

from __future__ import annotations

from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Reply
from forum.services.importing import Options
from forum.services.importing import import_file
from forum.text.sanitize import is_web_address
from tests.factories import make_post
from tests.factories import make_reply
from tests.web.api.conftest import SAME_ORIGIN

pytestmark = pytest.mark.usefixtures("open_rules")

HOSTILE = [
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "/relative",
    "https://example.org/\x00x",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_is_web_address_refuses_everything_but_http_and_https(url: str) -> None:
    assert not is_web_address(url)


def test_is_web_address_accepts_ordinary_sites() -> None:
    assert is_web_address("https://example.org")
    assert is_web_address("http://blog.example.org:8080/about?x=1#me")


@pytest.mark.parametrize("url", HOSTILE[:5])
def test_api_guest_reply_with_script_website_is_refused_and_nothing_stored(
    app: Flask, client: FlaskClient, url: str
) -> None:
    post = make_post()
    guest = {"body": "Hi", "name": "Ada", "email": "ada@example.org", "url": url}
    response = client.post(f"/api/v1/posts/{post.slug}/replies", json=guest, headers=SAME_ORIGIN)
    assert response.status_code == 400
    assert "url" in response.get_json()["error"]["fields"]
    assert db.session.scalar(select(func.count(Reply.id))) == 0


def test_api_guest_reply_with_web_address_is_linked_from_the_name(
    app: Flask, client: FlaskClient
) -> None:
    post = make_post()
    guest = {"body": "Hi", "name": "Ada", "email": "a@example.org", "url": "https://ada.example/"}
    response = client.post(f"/api/v1/posts/{post.slug}/replies", json=guest, headers=SAME_ORIGIN)
    assert response.status_code == 201
    page = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert 'href="https://ada.example/"' in page


def _wxr_with_author_urls(urls: list[str]) -> str:
    comments = "".join(
        f"""<wp:comment><wp:comment_id>{n}</wp:comment_id>
        <wp:comment_author>Reader {n}</wp:comment_author>
        <wp:comment_author_email>r{n}@example.org</wp:comment_author_email>
        <wp:comment_author_url>{escape(url)}</wp:comment_author_url>
        <wp:comment_date_gmt>2020-01-02 10:00:00</wp:comment_date_gmt>
        <wp:comment_content>Comment {n}</wp:comment_content>
        <wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>
        <wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>
        </wp:comment>"""
        for n, url in enumerate(urls, start=1)
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Blog</title><link>https://blog.example</link>
<wp:base_blog_url>https://blog.example</wp:base_blog_url>
<item><title>Hello</title><link>https://blog.example/hello/</link>
<dc:creator>owner</dc:creator><content:encoded>Body</content:encoded>
<wp:post_id>1</wp:post_id><wp:post_date_gmt>2020-01-01 12:00:00</wp:post_date_gmt>
<wp:post_name>hello</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
{comments}</item></channel></rss>"""


def test_import_drops_script_author_websites_and_keeps_the_comments(
    app: Flask, tmp_path: Path
) -> None:
    path = tmp_path / "blog.xml"
    path.write_text(_wxr_with_author_urls([*HOSTILE[:5], "https://fine.example/"]), "utf-8")
    import_file(kind="wordpress", path=path, options=Options())
    replies = db.session.scalars(select(Reply).order_by(Reply.id)).all()
    assert [reply.guest_url for reply in replies] == [None] * 5 + ["https://fine.example/"]


def test_website_stored_before_the_checks_is_shown_as_plain_name(
    app: Flask, client: FlaskClient
) -> None:
    """Rows imported before every path checked websites may hold one: the page never links it."""
    post = make_post()
    make_reply(post, guest_name="Old Guest", guest_url="javascript:alert(1)")
    page = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "javascript:" not in page
    assert '<span class="reply__author"' in page and "Old Guest" in page
