"""The search page, the header and thread search boxes, and moderators' search of every reply."""

from __future__ import annotations

from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.models import ReplyStatus
from forum.models import Role
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.services.test_search import HOSTILE


@pytest.fixture
def thread(app: Flask) -> Any:
    post = make_post(title="Coming off slowly", slug="slowly")
    make_reply(
        post, guest_name="Ada", body_source="The <b>tapering</b> went fine <script>x</script>"
    )
    make_reply(post, body_source="held taper text", status=ReplyStatus.PENDING)
    make_reply(post, body_source="spam taper text", status=ReplyStatus.SPAM)
    return post


def test_search_page_shows_ranked_hits_with_marked_escaped_snippets(
    client: FlaskClient, thread: Any
) -> None:
    page = client.get("/search?q=taper").get_data(as_text=True)
    assert "1 result for" in page
    assert "<mark>tapering</mark>" in page
    assert "<script>x" not in page and "&lt;script&gt;" not in page  # sanitised away on write
    assert "held taper" not in page and "spam taper" not in page
    assert f'href="/t/slowly/c/{1}#c1"' in page


def test_search_page_escapes_a_hostile_query_in_the_summary(
    client: FlaskClient, thread: Any
) -> None:
    page = client.get("/search?q=<i>taper</i>").get_data(as_text=True)
    assert "&lt;i&gt;taper&lt;/i&gt;" in page and "<i>taper" not in page


@pytest.mark.parametrize("query", HOSTILE)
def test_search_page_hostile_query_gets_a_page_not_a_500(
    client: FlaskClient, thread: Any, query: str
) -> None:
    response = client.get("/search", query_string={"q": query, "author": query[:90]})
    assert response.status_code in (200, 400)
    assert "Search" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"from": "2026-13-01"}, "is not a date"),
        ({"from": "2026-05-02", "to": "2026-05-01"}, "before the start date"),
        ({"category": "nope"}, "no such category"),
        ({"page": "0"}, "page number"),
        ({"q": "w" * 201}, "at most 200"),
    ],
)
def test_search_page_bad_filter_is_400_with_the_reason_and_input_kept(
    client: FlaskClient, thread: Any, args: dict[str, str], message: str
) -> None:
    response = client.get("/search", query_string={"q": "taper", **args})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in page and 'role="alert"' in page
    assert 'value="taper"' in page or "w" * 200 in page


def test_search_page_filters_by_category_and_in_this_thread(
    client: FlaskClient, app: Flask
) -> None:
    walking = make_category(slug="walking", name="Walking")
    one = make_post(category=walking, slug="one")
    two = make_post(slug="two")
    make_reply(one, body_source="wombat walking")
    make_reply(two, body_source="wombat sitting")
    assert "1 result" in client.get("/search?q=wombat&category=walking").get_data(as_text=True)
    page = client.get("/search?q=wombat&thread=two").get_data(as_text=True)
    assert "1 result" in page and "sitting" in page and "Only in this thread" in page


def test_every_page_has_the_header_search_box_and_the_thread_its_own(
    client: FlaskClient, thread: Any
) -> None:
    page = client.get("/t/slowly").get_data(as_text=True)
    assert 'action="/search"' in page and 'name="q"' in page
    assert 'name="thread" value="slowly"' in page


def test_search_page_costs_the_same_statements_for_few_or_many_hits(
    client: FlaskClient, app: Flask, count_queries: Any
) -> None:
    post = make_post()
    make_reply(post, body_source="wombat")
    with count_queries() as few:
        assert client.get("/search?q=wombat").status_code == 200
    for n in range(30):
        make_reply(post, body_source=f"wombat {n}", guest_name=f"Guest {n}")
    with count_queries() as many:
        assert client.get("/search?q=wombat&page=2").status_code == 200
    assert len(few) == len(many)


def test_moderator_search_finds_every_status_and_links_to_the_item(
    client: FlaskClient, thread: Any, login: Any
) -> None:
    login(make_user(role=Role.MODERATOR))
    page = client.get("/mod?q=taper").get_data(as_text=True)
    assert "3 results" in page and "status-pending" in page and "status-spam" in page
    assert 'href="/mod/replies/2"' in page


def test_moderator_search_is_for_moderators_only(
    client: FlaskClient, thread: Any, login: Any
) -> None:
    login(make_user())
    response = client.get("/mod?q=taper")
    assert response.status_code in (302, 403, 404)
    assert "spam taper" not in response.get_data(as_text=True)


def test_queue_page_offers_the_search_of_every_reply(
    client: FlaskClient, thread: Any, login: Any
) -> None:
    login(make_user(role=Role.MODERATOR))
    page = client.get("/mod/queue/pending").get_data(as_text=True)
    assert 'action="/mod"' in page and "Search every reply" in page
