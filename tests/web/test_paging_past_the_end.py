"""A page number past the last page is a 404, on the index, category and thread pages."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply


def test_index_page_past_the_last_is_404_but_page_one_of_an_empty_site_is_not(
    app: Flask, client: FlaskClient
) -> None:
    empty = client.get("/")
    assert empty.status_code == 200 and "No posts yet." in empty.text
    assert client.get("/?page=2").status_code == 404
    app.config["POSTS_PER_PAGE"] = 2
    for _ in range(3):
        make_post()
    assert client.get("/?page=2").status_code == 200
    past = client.get("/?page=3")
    assert past.status_code == 404 and "There is no page 3 here" in past.text


def test_category_page_past_the_last_is_404(client: FlaskClient) -> None:
    category = make_category(slug="news")
    assert client.get("/c/news").status_code == 200
    assert client.get("/c/news?page=2").status_code == 404
    make_post(category=category)
    assert client.get("/c/news").status_code == 200
    assert client.get("/c/news?page=2").status_code == 404


def test_thread_page_past_the_last_is_404(app: Flask, client: FlaskClient) -> None:
    app.config["REPLIES_PER_PAGE"] = 2
    post = make_post()
    assert client.get(f"/t/{post.slug}").status_code == 200
    assert client.get(f"/t/{post.slug}?page=2").status_code == 404
    for _ in range(3):
        make_reply(post)
    assert client.get(f"/t/{post.slug}?page=2&sort=newest").status_code == 200
    assert client.get(f"/t/{post.slug}?page=3").status_code == 404
    assert client.get(f"/t/{post.slug}?page=3&fragment=1").status_code == 404
