"""The embed pages: a thread for allowed sites only, guests posting without cookies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.services import embed_threads
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import set_rules

HOST = "https://blog.example.org"
PAGE = f"{HOST}/2026/08/part-3/"
SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}
GUEST = {"body": "Lovely part three", "name": "Gus", "email": "gus@example.org"}


@pytest.fixture
def embed_app() -> Iterator[Flask]:
    app = make_app(WTF_CSRF_ENABLED=True, EMBED_ORIGINS=f"{HOST}, https://other.example.org/")
    app.test_client_class = RequestScopedClient
    with database_for(app):
        yield app


@pytest.fixture
def browser(embed_app: Flask) -> FlaskClient:
    """A browser that keeps no cookies, as one blocking third-party cookies does in the frame."""
    return embed_app.test_client(use_cookies=False)


def _post_form(**fields: str) -> dict[str, str]:
    return {"page_url": PAGE, "page_title": "Part 3", "page_theme": "light", **GUEST, **fields}


def test_origins_setting_accepts_a_comma_separated_string(embed_app: Flask) -> None:
    assert embed_app.config["EMBED_ORIGINS"] == [HOST, "https://other.example.org"]


def test_view_thread_of_imported_page_shows_its_replies(
    embed_app: Flask, browser: FlaskClient
) -> None:
    post = make_post(original_url=PAGE.rstrip("/"))
    make_reply(post, body_source="From the WordPress days")
    response = browser.get("/embed/thread", query_string={"url": PAGE, "title": "Part 3"})
    assert response.status_code == 200
    assert "From the WordPress days" in response.text
    policy = response.headers["Content-Security-Policy"]
    assert f"frame-ancestors {HOST} https://other.example.org" in policy
    assert "X-Frame-Options" not in response.headers


def test_widget_never_links_a_website_stored_before_the_checks(
    embed_app: Flask, browser: FlaskClient
) -> None:
    """The widget shares the pages' reply header, so an old javascript: website stays text."""
    post = make_post(original_url=PAGE.rstrip("/"))
    make_reply(post, guest_name="Old Guest", guest_url="javascript:alert(1)")
    page = browser.get("/embed/thread", query_string={"url": PAGE, "title": "Part 3"}).text
    assert "javascript:" not in page
    assert '<span class="reply__author"' in page and "Old Guest" in page


def test_view_thread_of_page_outside_allowed_origins_shows_nothing(
    embed_app: Flask, browser: FlaskClient
) -> None:
    make_reply(make_post(original_url="https://evil.example/page"), body_source="Secret")
    response = browser.get("/embed/thread", query_string={"url": "https://evil.example/page"})
    assert response.status_code == 404
    assert "Secret" not in response.text and "<form" not in response.text


def test_other_pages_still_refuse_to_be_framed(embed_app: Flask, browser: FlaskClient) -> None:
    response = browser.get("/")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_post_first_reply_without_cookies_creates_thread_and_shows_held_notice(
    embed_app: Flask, browser: FlaskClient
) -> None:
    set_rules(hold_first_time=True, flood_seconds=0)
    response = browser.post("/embed/thread", data=_post_form(), headers=SAME_ORIGIN)
    assert response.status_code == 303
    post = db.session.scalar(select(Post).where(Post.original_url == PAGE))
    assert post is not None and post.title == "Part 3" and post.imported_as == "embed-page"
    page = browser.get(response.headers["Location"])
    assert "Lovely part three" in page.text
    assert "awaiting moderation" in page.text
    stranger = browser.get("/embed/thread", query_string={"url": PAGE})
    assert "Lovely part three" not in stranger.text


def test_post_reply_with_forged_frame_token_hides_the_held_reply_from_the_forger(
    embed_app: Flask, browser: FlaskClient
) -> None:
    set_rules(hold_first_time=True, flood_seconds=0)
    response = browser.post("/embed/thread", data=_post_form(), headers=SAME_ORIGIN)
    frame = parse_qs(urlsplit(response.headers["Location"]).query)["frame"][0]
    forged = browser.get("/embed/thread", query_string={"url": PAGE, "frame": frame[:-2] + "xx"})
    assert "Lovely part three" not in forged.text


def test_post_reply_from_another_site_is_refused(embed_app: Flask, browser: FlaskClient) -> None:
    response = browser.post(
        "/embed/thread", data=_post_form(), headers={"Sec-Fetch-Site": "cross-site"}
    )
    assert response.status_code == 403
    assert db.session.scalar(select(func.count(Reply.id))) == 0


def test_post_reply_without_name_keeps_text_and_explains(
    embed_app: Flask, browser: FlaskClient
) -> None:
    response = browser.post("/embed/thread", data=_post_form(name=""), headers=SAME_ORIGIN)
    assert response.status_code == 400
    assert "Lovely part three" in response.text
    assert db.session.scalar(select(func.count(Post.id))) == 0
    # The error is tied to its field, so a screen reader reads it with the field.
    assert 'aria-describedby="name-errors"' in response.text
    assert '<ul class="field-errors" id="name-errors">' in response.text


def test_post_two_first_replies_make_one_thread(embed_app: Flask, browser: FlaskClient) -> None:
    set_rules(hold_first_time=False, flood_seconds=0)
    for body in ("First", "Second"):
        browser.post("/embed/thread", data=_post_form(body=body), headers=SAME_ORIGIN)
    assert db.session.scalar(select(func.count(Post.id))) == 1
    with embed_app.test_request_context():
        assert embed_threads.post_for_page(PAGE.rstrip("/"), "x").original_url == PAGE


def test_counts_for_allowed_origin_answer_with_cors(embed_app: Flask, browser: FlaskClient) -> None:
    post = make_post(original_url=PAGE)
    make_reply(post)
    make_reply(post, status=ReplyStatus.PENDING)
    make_reply(make_post(original_url="https://evil.example/x"))
    response = browser.get(
        "/embed/counts",
        query_string=[("url", PAGE), ("url", f"{HOST}/none"), ("url", "https://evil.example/x")],
        headers={"Origin": HOST},
    )
    assert response.json == {
        "counts": {PAGE: 1, f"{HOST}/none": 0},
        "labels": {PAGE: "1 comment", f"{HOST}/none": "0 comments"},
    }
    assert response.headers["Access-Control-Allow-Origin"] == HOST
    assert "Origin" in response.headers["Vary"]


def test_counts_for_other_origin_get_no_cors(embed_app: Flask, browser: FlaskClient) -> None:
    response = browser.get(
        "/embed/counts", query_string={"url": PAGE}, headers={"Origin": "https://evil.example"}
    )
    assert "Access-Control-Allow-Origin" not in response.headers


def test_embed_script_is_served_at_the_root(browser: FlaskClient) -> None:
    with browser.get("/embed.js") as response:  # a file response: close it
        assert response.status_code == 200
        assert "porch-thread" in response.text


def test_view_thread_query_count_does_not_grow_with_replies(
    embed_app: Flask, browser: FlaskClient
) -> None:
    small, large = make_post(original_url=PAGE), make_post(original_url=f"{HOST}/big")
    make_reply(small)
    for _ in range(30):
        make_reply(large, parent=make_reply(large))
    assert _statements(browser, PAGE) == _statements(browser, f"{HOST}/big")


def _statements(browser: FlaskClient, url: str) -> int:
    statements: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert browser.get("/embed/thread", query_string={"url": url}).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return len(statements)
