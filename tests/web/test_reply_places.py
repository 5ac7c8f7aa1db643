"""A reply's number and its "Link" are the same wherever it is shown: any page, sort, permalink."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from tests.factories import make_post
from tests.factories import make_reply


def _numbers(html: str) -> dict[int, int]:
    """Reply id -> the number shown on it."""
    found = {}
    for match in re.finditer(r'<li class="reply[^"]*"\s+id="c(\d+)"', html):
        number = re.compile(r'class="reply__number"[^>]*>\s*(\d+)\.').search(html, match.end())
        assert number is not None
        found[int(match.group(1))] = int(number.group(1))
    return found


def _link(html: str, reply_id: int) -> str:
    """The href of the "Link" action under a reply."""
    start = html.index(f'id="c{reply_id}"')
    match = re.compile(r'<a class="reply__link" href="([^"]+)">Link</a>').search(html, start)
    assert match is not None
    return match.group(1).replace("&amp;", "&")


@pytest.fixture
def paged(app: Flask) -> tuple[Post, list[Reply], Reply]:
    """Five top-level replies, two a page; the 2nd removed but answered; an answer to the 5th."""
    app.config["REPLIES_PER_PAGE"] = 2
    post = make_post()
    roots = [make_reply(post) for _ in range(5)]
    roots[1].status = ReplyStatus.TRASH
    make_reply(post, roots[1])  # keeps the removed reply on the page as a placeholder
    answer = make_reply(post, roots[4])
    return post, roots, answer


def test_thread_numbers_replies_oldest_first_on_every_page_and_sort(
    client: FlaskClient, paged: tuple[Post, list[Reply], Reply]
) -> None:
    post, roots, answer = paged
    ids = [root.id for root in roots]
    expected = {root_id: n for n, root_id in enumerate(ids, start=1)}
    seen: dict[int, int] = {}
    for query in ("", "?page=2", "?page=3", "?sort=newest", "?sort=newest&page=2", "?sort=liked"):
        seen |= {
            reply_id: number
            for reply_id, number in _numbers(client.get(f"/t/{post.slug}{query}").text).items()
            if reply_id in expected
        }
    assert seen == expected
    newest = _numbers(client.get(f"/t/{post.slug}?sort=newest").text)
    assert list(newest)[:2] == [ids[4], answer.id]
    assert newest[ids[4]] == 5 and newest[answer.id] == 1


def test_permalink_shows_the_numbers_the_thread_shows(
    app: Flask, client: FlaskClient, paged: tuple[Post, list[Reply], Reply]
) -> None:
    post, roots, answer = paged
    second_answer = make_reply(post, roots[4])
    page = _numbers(client.get(f"/t/{post.slug}?page=3").text)
    permalink = _numbers(client.get(f"/t/{post.slug}/c/{second_answer.id}").text)
    assert permalink == {roots[4].id: 5, second_answer.id: 2}
    assert page[roots[4].id] == 5 and page[answer.id] == 1 and page[second_answer.id] == 2
    assert _numbers(client.get(f"/t/{post.slug}/c/{roots[3].id}").text) == {roots[3].id: 4}


def test_permalink_numbers_past_the_depth_cap_match_the_thread(
    app: Flask, client: FlaskClient
) -> None:
    app.config["MAX_DEPTH"] = 2
    post = make_post()
    root = make_reply(post)
    earlier = make_reply(post, root)
    middle = make_reply(post, root)
    deep = make_reply(post, middle)  # shown in the same list as its parent
    deeper = make_reply(post, deep)
    thread = _numbers(client.get(f"/t/{post.slug}").text)
    assert [thread[r.id] for r in (earlier, middle, deep, deeper)] == [1, 2, 3, 4]
    permalink = _numbers(client.get(f"/t/{post.slug}/c/{deep.id}").text)
    assert permalink == {root.id: 1, middle.id: 2, deep.id: 3, deeper.id: 4}


def test_reply_link_points_at_the_page_that_holds_the_reply_on_any_sort(
    client: FlaskClient, paged: tuple[Post, list[Reply], Reply]
) -> None:
    post, roots, answer = paged
    third_page = client.get(f"/t/{post.slug}?page=3").text
    assert _link(third_page, roots[4].id) == f"/t/{post.slug}?page=3#c{roots[4].id}"
    assert _link(third_page, answer.id) == f"/t/{post.slug}?page=3#c{answer.id}"
    newest = client.get(f"/t/{post.slug}?sort=newest").text
    assert _link(newest, roots[3].id) == f"/t/{post.slug}?page=2#c{roots[3].id}"
    first_page = client.get(f"/t/{post.slug}").text
    assert _link(first_page, roots[0].id) == f"/t/{post.slug}#c{roots[0].id}"
    followed = client.get(_link(newest, answer.id).split("#")[0]).text
    assert f'id="c{answer.id}"' in followed


def test_permalink_links_to_the_reply_on_its_thread_page(
    client: FlaskClient, paged: tuple[Post, list[Reply], Reply]
) -> None:
    post, _, answer = paged
    html = client.get(f"/t/{post.slug}/c/{answer.id}").text
    whole = f'<a href="/t/{post.slug}?page=3#c{answer.id}">See the whole conversation</a>'
    assert whole in html
    assert _link(html, answer.id) == f"/t/{post.slug}?page=3#c{answer.id}"


@pytest.mark.usefixtures("open_rules")
def test_link_under_a_reply_just_posted_by_script_points_at_its_page(
    client: FlaskClient, paged: tuple[Post, list[Reply], Reply]
) -> None:
    post, roots, _ = paged
    created = client.post(
        f"/t/{post.slug}/replies",
        data={
            "body": "Late answer",
            "name": "Ada",
            "email": "ada@example.org",
            "parent_id": str(roots[4].id),
        },
        headers={"Accept": "application/json"},
    ).get_json()
    assert _link(created["html"], created["id"]) == f"/t/{post.slug}?page=3#c{created['id']}"
    assert _numbers(created["html"]) == {created["id"]: 2}


@pytest.mark.usefixtures("open_rules")
def test_json_answer_to_a_nested_reply_on_a_later_page_matches_the_thread(
    client: FlaskClient, paged: tuple[Post, list[Reply], Reply]
) -> None:
    post, roots, answer = paged  # six approved replies: a placeholder holds one of them
    created = client.post(
        f"/t/{post.slug}/replies",
        data={"body": "Deeper", "name": "Ada", "email": "ada@example.org", "parent_id": answer.id},
        headers={"Accept": "application/json"},
    ).get_json()
    assert created["page"] == 3 and created["status"] == "approved"
    assert created["url"] == f"/t/{post.slug}?page=3#c{created['id']}"
    assert created["path"] == f"{answer.path}/{created['id']:010d}"
    assert created["reply_count"] == 7
    thread = _numbers(client.get(f"/t/{post.slug}?page=3").text)
    assert _numbers(created["html"]) == {created["id"]: thread[created["id"]]} == {created["id"]: 1}


def test_json_answer_to_a_held_reply_on_page_two_counts_it_for_its_author_only(
    app: Flask, client: FlaskClient
) -> None:
    app.config["REPLIES_PER_PAGE"] = 2
    post = make_post()
    for _ in range(2):
        make_reply(post)
    created = client.post(
        f"/t/{post.slug}/replies",
        data={"body": "Wait for me", "name": "Ada", "email": "ada@example.org"},
        headers={"Accept": "application/json"},
    ).get_json()  # the default rules hold a first-time guest
    assert created["status"] == "pending" and created["reply_count"] == 2
    assert created["page"] == 2 and created["url"] == f"/t/{post.slug}?page=2#c{created['id']}"
    assert created["path"] == f"{created['id']:010d}"
    assert _numbers(created["html"]) == {created["id"]: 3}
    assert _numbers(client.get(f"/t/{post.slug}?page=2").text) == {created["id"]: 3}


@pytest.mark.usefixtures("open_rules")
@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_a_posts_place_is_read_in_the_writing_transaction_on_postgresql_only(
    app: Flask, client: FlaskClient, accept: str
) -> None:
    """The script's answer (the reply's card and number) and the page's redirect (to the
    reply's page): on PostgreSQL one transaction, not a second BEGIN, SET and COMMIT after the
    write; on SQLite read after the commit, so the one write lock is not held for it."""
    post = make_post()
    make_reply(post)
    engine = db.engine
    sent: list[str] = []
    record = lambda *args: sent.append(str(args[2]))  # noqa: E731
    note_commit = lambda *args: sent.append("COMMIT")  # noqa: E731
    event.listen(engine, "before_cursor_execute", record)
    event.listen(engine, "commit", note_commit)
    try:
        answer = client.post(
            f"/t/{post.slug}/replies",
            data={"body": "Second", "name": "Ada", "email": "ada@example.org"},
            headers={"Accept": accept},
        )
    finally:
        event.remove(engine, "before_cursor_execute", record)
        event.remove(engine, "commit", note_commit)
    if accept == "application/json":
        created = answer.get_json()
        assert created["reply_count"] == 2 and _numbers(created["html"]) == {created["id"]: 2}
    else:
        assert answer.status_code == 303
        assert re.fullmatch(rf"(.*)?/t/{post.slug}#c\d+", answer.location)
    insert = next(n for n, sql in enumerate(sent) if sql.startswith(("INSERT INTO reply", "WITH")))
    commits = [n for n, sql in enumerate(sent) if sql == "COMMIT"]
    began = max(n for n in commits if n < insert) if commits[0] < insert else -1
    committed = min(n for n in commits if n > insert)
    place = next(n for n, sql in enumerate(sent) if n > insert and "count(*) AS" in sql)
    if engine.dialect.name == "postgresql":
        assert place < committed
        assert sum(sql.startswith("SET LOCAL") for sql in sent[began + 1 : committed]) <= 1
    else:
        assert place > committed
