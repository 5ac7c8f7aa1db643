"""Reading pages: index, category, thread tree, sorting, paging, permalinks."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.models import ReplyStatus
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


def _ids_in_order(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<li class="reply[^"]*"\s+id="c(\d+)"', html)]


def test_index_lists_posts_newest_first_with_reply_counts(client: FlaskClient) -> None:
    category = make_category(name="Research notes")
    older = make_post(title="Older post", category=category)
    newer = make_post(title="Newer post")
    make_reply(older)
    make_reply(older)
    make_reply(older, status=ReplyStatus.PENDING)
    html = client.get("/").get_data(as_text=True)
    assert html.index("Newer post") < html.index("Older post")
    assert "2 replies" in html  # the pending one is not counted
    assert "Research notes" in html
    assert newer.title in html


def test_index_pages_posts(app: Flask, client: FlaskClient) -> None:
    app.config["POSTS_PER_PAGE"] = 2
    for n in range(3):
        make_post(title=f"Paged {n}")
    first = client.get("/").get_data(as_text=True)
    second = client.get("/?page=2").get_data(as_text=True)
    assert "Paged 2" in first and "Paged 1" in first and "Paged 0" not in first
    assert "Paged 0" in second
    assert 'rel="next"' in first


def test_category_page_shows_only_its_posts(client: FlaskClient) -> None:
    news = make_category(slug="news", name="News")
    make_post(title="In news", category=news)
    make_post(title="Elsewhere")
    html = client.get("/c/news").get_data(as_text=True)
    assert "In news" in html and "Elsewhere" not in html


def test_thread_shows_post_reply_count_and_nested_tree(client: FlaskClient) -> None:
    post = make_post(
        title="Part three", series_name="Coming off", series_position=3, series_total=5
    )
    first = make_reply(post, body_source="First thought")
    answer = make_reply(post, first, body_source="An **answer**")
    make_reply(post, body_source="Second thought")
    html = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "3 replies</span> on <em><bdi>Part three</bdi></em>" in html
    assert "Coming off: part 3 of 5" in html
    assert "An <strong>answer</strong>" in html
    nested = html[html.index(f'id="c{first.id}"') :]
    assert nested.index(f'id="c{answer.id}"') < nested.index("Second thought")
    assert 'class="reply depth-1"' in html


def test_thread_sort_orders_top_level_and_keeps_children_with_parent(client: FlaskClient) -> None:
    post = make_post()
    old = make_reply(post)
    child = make_reply(post, old)
    new = make_reply(post)
    newest_first = _ids_in_order(client.get(f"/t/{post.slug}?sort=newest").get_data(as_text=True))
    assert newest_first == [new.id, old.id, child.id]
    new.like_count = 0
    old.like_count = 0
    popular = make_reply(post, like_count=5)
    liked_first = _ids_in_order(client.get(f"/t/{post.slug}?sort=liked").get_data(as_text=True))
    assert liked_first[0] == popular.id


def test_thread_pages_top_level_replies_with_children_on_the_same_page(
    app: Flask, client: FlaskClient
) -> None:
    app.config["REPLIES_PER_PAGE"] = 2
    post = make_post()
    roots = [make_reply(post) for _ in range(3)]
    child_of_second = make_reply(post, roots[1])
    page1 = client.get(f"/t/{post.slug}").get_data(as_text=True)
    page2 = client.get(f"/t/{post.slug}?page=2").get_data(as_text=True)
    assert _ids_in_order(page1) == [roots[0].id, roots[1].id, child_of_second.id]
    assert _ids_in_order(page2) == [roots[2].id]
    assert "Load more replies" in page1 and "Load more replies" not in page2
    fragment = client.get(f"/t/{post.slug}?page=2&fragment=1").get_json()
    assert _ids_in_order(fragment["html"]) == [roots[2].id]
    assert fragment["next_url"] is None


def test_thread_caps_indentation_and_says_whom_deep_replies_answer(
    app: Flask, client: FlaskClient
) -> None:
    app.config["MAX_DEPTH"] = 2
    post = make_post()
    top = make_reply(post, guest_name="Ada")
    second = make_reply(post, top, guest_name="Bo")
    third = make_reply(post, second, guest_name="Cy")
    html = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert 'class="reply depth-2' not in html
    assert f'id="c{third.id}" data-reply-id="{third.id}" data-depth="1"' in html
    assert "in reply to Bo" in html


def test_thread_removed_parent_becomes_placeholder_and_keeps_children(client: FlaskClient) -> None:
    post = make_post()
    removed = make_reply(post, status=ReplyStatus.TRASH, body_source="Nasty words")
    kept = make_reply(post, removed, body_source="A kind answer")
    html = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "This reply was removed." in html
    assert "Nasty words" not in html
    assert "A kind answer" in html
    assert f'id="c{kept.id}"' in html


def test_thread_collapse_control_wraps_each_subtree(client: FlaskClient) -> None:
    post = make_post()
    parent = make_reply(post)
    make_reply(post, parent)
    make_reply(post, parent)
    html = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert '<details class="branch" open>' in html
    assert "Show 2 replies" in html


def test_thread_rejects_unknown_sort_and_bad_page_with_400(client: FlaskClient) -> None:
    post = make_post()
    bad_sort = client.get(f"/t/{post.slug}?sort=random")
    bad_page = client.get(f"/t/{post.slug}?page=-1")
    assert bad_sort.status_code == 400 and "oldest, newest or liked" in bad_sort.get_data(
        as_text=True
    )
    assert bad_page.status_code == 400 and "page number" in bad_page.get_data(as_text=True)


def test_unknown_post_and_category_are_404_pages(client: FlaskClient) -> None:
    assert client.get("/t/no-such-post").status_code == 404
    response = client.get("/c/no-such-category")
    assert response.status_code == 404 and "There is no category" in response.get_data(as_text=True)


def test_permalink_shows_reply_with_ancestors_and_children(client: FlaskClient) -> None:
    post = make_post()
    top = make_reply(post, body_source="The question")
    middle = make_reply(post, top, body_source="The focus")
    below = make_reply(post, middle, body_source="A follow-up")
    unrelated = make_reply(post, body_source="Off in another branch")
    html = client.get(f"/t/{post.slug}/c/{middle.id}").get_data(as_text=True)
    assert "The question" in html and "The focus" in html and "A follow-up" in html
    assert "Off in another branch" not in html
    assert "reply--focus" in html
    assert unrelated.id != below.id


def test_permalink_of_held_reply_is_404_for_others(client: FlaskClient) -> None:
    post = make_post()
    held = make_reply(post, status=ReplyStatus.PENDING)
    assert client.get(f"/t/{post.slug}/c/{held.id}").status_code == 404
    assert client.get(f"/t/{post.slug}/c/999999").status_code == 404


def test_member_sees_own_pending_reply_marked_awaiting_moderation(
    client: FlaskClient, login
) -> None:  # type: ignore[no-untyped-def]
    post = make_post()
    author = make_user()
    make_reply(post, author=author, status=ReplyStatus.PENDING, body_source="My held words")
    assert "My held words" not in client.get(f"/t/{post.slug}").get_data(as_text=True)
    login(author)
    html = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "My held words" in html
    assert "Your reply is awaiting moderation" in html


def test_guest_avatar_is_generated_locally_and_does_not_reveal_email(client: FlaskClient) -> None:
    post = make_post()
    make_reply(post, guest_name="zoe", guest_email="zoe@example.org")
    html = client.get(f"/t/{post.slug}").get_data(as_text=True)
    src = re.search(r'class="reply__avatar" src="([^"]+)"', html)
    assert src is not None
    assert src.group(1).startswith("/avatar/") and "zoe" not in src.group(1)
    svg = client.get(src.group(1).replace("&amp;", "&"))
    assert (
        svg.status_code == 200
        and svg.mimetype == "image/svg+xml"
        and ">Z</text>" in svg.get_data(as_text=True)
    )


def test_own_held_reply_under_a_removed_top_level_reply_is_still_shown_to_its_author(
    client: FlaskClient,
) -> None:
    post = make_post()
    removed = make_reply(post, status=ReplyStatus.TRASH, body_source="Gone")
    make_reply(
        post, removed, status=ReplyStatus.PENDING, guest_token="mine", body_source="My own words"
    )
    with client.session_transaction() as session:
        session["guest_token"] = "mine"
    html = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "My own words" in html and "This reply was removed." in html and "Gone" not in html


def test_in_reply_to_never_names_the_author_of_a_hidden_reply(
    app: Flask, client: FlaskClient
) -> None:
    app.config["MAX_DEPTH"] = 2
    post = make_post()
    top = make_reply(post)
    hidden = make_reply(post, top, status=ReplyStatus.SPAM, guest_name="SecretSpammer")
    make_reply(post, hidden, body_source="An answer to spam")
    html = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "An answer to spam" in html and "SecretSpammer" not in html


@pytest.mark.parametrize("status", [ReplyStatus.PENDING, ReplyStatus.SPAM, ReplyStatus.TRASH])
def test_reply_page_never_quotes_a_hidden_reply(client: FlaskClient, status: ReplyStatus) -> None:
    post = make_post()
    hidden = make_reply(post, status=status, guest_name="Hidden Hal", body_source="Secret words")
    response = client.get(f"/t/{post.slug}/reply?parent_id={hidden.id}")
    assert response.status_code == 404
    assert "Secret words" not in response.get_data(as_text=True)


@pytest.mark.parametrize("closed", [True, False])
def test_thread_of_closed_post_offers_no_reply_links(client: FlaskClient, closed: bool) -> None:
    post = make_post(comments_open=not closed)
    reply = make_reply(post)
    pages = [f"/t/{post.slug}", f"/t/{post.slug}/c/{reply.id}"]
    for page in pages:
        html = client.get(page).get_data(as_text=True)
        assert ('class="reply__reply"' in html) is not closed, page
    fragment = client.get(f"/t/{post.slug}?fragment=1").get_json()["html"]
    assert ('class="reply__reply"' in fragment) is not closed


def test_page_numbers_in_other_scripts_digits_are_refused_not_a_500(client: FlaskClient) -> None:
    """"²" and "٣" are digits to str.isdigit; int() takes only the second. Neither is a page
    number a link of ours would carry: both get the same 400 as any other bad page."""
    post = make_post()
    for address in ("/", f"/t/{post.slug}", "/search"):
        for odd in ("%C2%B2", "%D9%A3", "1%C2%B2"):
            response = client.get(f"{address}?q=walk&page={odd}")
            assert response.status_code == 400, (address, odd)
            assert "page number" in response.get_data(as_text=True)


def test_a_nul_character_in_the_address_is_refused_with_a_message(client: FlaskClient) -> None:
    """PostgreSQL cannot compare text with NUL: a filter carrying one was a 500 there."""
    response = client.get("/search?q=walk%00ing")
    assert response.status_code == 400
    assert "not allowed (NUL)" in response.get_data(as_text=True)
    assert client.get("/search?q=walking").status_code == 200
