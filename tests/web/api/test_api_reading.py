"""Reading through the API: lists, the numbered tree, one reply in context, caching."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from forum.models import ReplyStatus
from tests.conftest import login_on
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.web.api.conftest import answer
from tests.web.api.conftest import bearer


def test_categories_and_posts_list_what_the_index_shows(app: Flask, client: FlaskClient):
    category = make_category(name="Gardens")
    post = make_post(category=category)
    make_reply(post)
    cats = answer(client.get("/api/v1/categories"), "categories", 200)
    assert [c["name"] for c in cats["categories"]] == ["Gardens"]
    posts = answer(client.get(f"/api/v1/posts?category={category.slug}"), "posts", 200)
    assert [(p["slug"], p["reply_count"]) for p in posts["posts"]] == [(post.slug, 1)]


def test_thread_pages_number_replies_like_the_pages(app: Flask, client: FlaskClient):
    app.config["REPLIES_PER_PAGE"] = 2
    post = make_post()
    first = make_reply(post)
    make_reply(post, parent=first)
    make_reply(post)
    make_reply(post)
    page_two = answer(client.get(f"/api/v1/posts/{post.slug}/replies?page=2"), "thread", 200)
    assert [r["number"] for r in page_two["replies"]] == [3]
    page_one = answer(client.get(f"/api/v1/posts/{post.slug}/replies"), "thread", 200)
    assert page_one["has_next"] and page_one["replies"][0]["children"][0]["parent_id"] == first.id
    assert page_one["reply_count"] == 4


def test_thread_page_numbers_other_than_plain_digits_are_a_400(app: Flask, client: FlaskClient):
    post = make_post()
    for odd in ("0", "-1", "%C2%B2", "%D9%A3", "100001"):
        response = client.get(f"/api/v1/posts/{post.slug}/replies?page={odd}")
        data = answer(response, "thread", 400)
        assert "page number" in str(data), odd


def test_thread_hides_held_replies_from_others(app: Flask, client: FlaskClient):
    post = make_post()
    make_reply(post, status=ReplyStatus.PENDING, body_source="secret")
    data = answer(client.get(f"/api/v1/posts/{post.slug}/replies"), "thread", 200)
    assert data["replies"] == []


def test_reply_in_context_shows_the_chain_above(app: Flask, client: FlaskClient):
    post = make_post()
    top = make_reply(post)
    answer_reply = make_reply(post, parent=top)
    url = f"/api/v1/posts/{post.slug}/replies/{answer_reply.id}"
    data = answer(client.get(url), "reply_in_context", 200)
    assert data["replies"][0]["id"] == top.id
    assert data["replies"][0]["children"][0]["id"] == answer_reply.id


def test_bad_sort_answers_field_error(app: Flask, client: FlaskClient):
    post = make_post()
    body = client.get(f"/api/v1/posts/{post.slug}/replies?sort=random").get_json()
    assert body["error"]["code"] == "invalid_input"
    assert "sort" in body["error"]["fields"]


def test_anonymous_read_is_public_with_etag_and_no_cookie(app: Flask, client: FlaskClient):
    post = make_post()
    response = client.get(f"/api/v1/posts/{post.slug}/replies")
    assert response.headers["Cache-Control"] == "public, max-age=0, s-maxage=10"
    assert "Set-Cookie" not in response.headers
    etag = response.headers["ETag"]
    again = client.get(f"/api/v1/posts/{post.slug}/replies", headers={"If-None-Match": etag})
    assert again.status_code == 304


def test_member_and_token_reads_are_private(app: Flask, client: FlaskClient):
    post = make_post()
    headers = bearer(make_user(), "read")
    token_read = client.get(f"/api/v1/posts/{post.slug}/replies", headers=headers)
    assert token_read.headers["Cache-Control"] == "private, no-cache"
    login_on(client, make_user())
    member_read = client.get(f"/api/v1/posts/{post.slug}/replies")
    assert member_read.headers["Cache-Control"] == "private, no-cache"


def test_unknown_token_is_refused_with_401(app: Flask, client: FlaskClient):
    response = client.get("/api/v1/categories", headers={"Authorization": "Bearer porch_nope"})
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "invalid_token"
