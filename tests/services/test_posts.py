"""The desk's services: addresses, scheduling, unpublishing, revisions, categories."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from sqlalchemy import select

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.models import Post
from forum.models import PostStatus
from forum.models import Reply
from forum.models import Role
from forum.models import User
from forum.services import categories
from forum.services import threads
from forum.services.categories import CategoryInput
from forum.services.desk import DeskTab
from forum.services.desk import desk_page
from forum.services.posts import Intent
from forum.services.posts import PostInput
from forum.services.posts import create_post
from forum.services.posts import revisions
from forum.services.posts import unpublish_post
from forum.services.posts import update_post
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


@pytest.fixture
def author(app: object) -> User:
    return make_user(role=Role.MEMBER, can_author=True, display_name="Ada")


def _write(author: User, intent: Intent = Intent.PUBLISH, **fields: object) -> Post:
    data = PostInput(**{"title": "Hello world", "body": "Some *text*.", **fields})  # type: ignore[arg-type]
    return create_post(author=author, data=data, intent=intent)


def _live_slugs() -> list[str]:
    return [item.post.slug for item in threads.list_posts(1, 50).items]


def test_create_post_with_blank_slug_makes_one_from_the_title(author: User) -> None:
    first = _write(author, title="Café: Part 2!")
    second = _write(author, title="Café: Part 2!")
    assert (first.slug, second.slug) == ("cafe-part-2", "cafe-part-2-2")
    assert first.body_html == "<p>Some <em>text</em>.</p>" and first.excerpt == "Some text."
    assert first.author_id == author.id and first.is_live()


def test_create_post_with_a_taken_slug_is_refused_with_a_clear_error(author: User) -> None:
    _write(author, slug="hello")
    with pytest.raises(InvalidInput) as refused:
        _write(author, slug="hello", title="Another")
    assert refused.value.errors["slug"] == [
        "Another post already uses the address “hello”: choose another one."
    ]
    with pytest.raises(InvalidInput) as bad:
        _write(author, slug="Not a slug!")
    assert "lower-case letters" in bad.value.errors["slug"][0]
    assert db.session.scalars(select(Post.slug)).all() == ["hello"]


def test_create_post_reports_every_problem_at_once(author: User) -> None:
    data = PostInput(title=" ", body="", series_name="Walk", series_total=0, close_after_days=-1)
    with pytest.raises(InvalidInput) as refused:
        create_post(author=author, data=data, intent=Intent.PUBLISH)
    assert set(refused.value.errors) == {
        "title",
        "body",
        "series_position",
        "series_total",
        "close_after_days",
    }


def test_create_post_by_a_member_who_is_not_an_author_is_forbidden(app: object) -> None:
    with pytest.raises(Forbidden):
        _write(make_user(role=Role.MODERATOR))
    with pytest.raises(Forbidden):
        _write(make_user(role=Role.ADMIN, banned_at=datetime.now(UTC)))


def test_scheduled_post_is_hidden_until_its_time(author: User) -> None:
    later = datetime.now(UTC) + timedelta(hours=2)
    post = _write(author, Intent.SCHEDULE, publish_at=later)
    assert post.is_scheduled and post.slug not in _live_slugs()
    with pytest.raises(NotFound):
        threads.get_post(post.slug)
    assert threads.get_post(post.slug, include_unpublished=True) == post
    assert [p.id for p in desk_page(DeskTab.SCHEDULED, 1, 50).posts] == [post.id]
    post.published_at = datetime.now(UTC) - timedelta(seconds=1)  # the time comes
    db.session.commit()
    assert post.slug in _live_slugs() and threads.get_post(post.slug) == post


def test_schedule_without_a_future_time_is_refused(author: User) -> None:
    for when in (None, datetime.now(UTC) - timedelta(minutes=5)):
        with pytest.raises(InvalidInput) as refused:
            _write(author, Intent.SCHEDULE, publish_at=when)
        assert "future" in refused.value.errors["publish_at"][0]


def test_unpublish_hides_the_post_and_keeps_its_replies(author: User) -> None:
    post = _write(author)
    reply = make_reply(post)
    unpublish_post(author=author, post_id=post.id)
    assert post.status is PostStatus.DRAFT and post.slug not in _live_slugs()
    with pytest.raises(NotFound):
        threads.get_post(post.slug)
    assert db.session.get(Reply, reply.id) is not None
    update_post(author=author, post_id=post.id, data=_same(post), intent=Intent.PUBLISH)
    assert post.is_live() and threads.approved_reply_count(post) == 1


def _same(post: Post) -> PostInput:
    return PostInput(title=post.title, body=post.body_source, slug=post.slug)


def test_update_post_keeps_earlier_versions_with_who_and_when(author: User) -> None:
    post = _write(author, title="First title", body="First text")
    editor = make_user(role=Role.ADMIN, display_name="Grace")
    update_post(
        author=editor,
        post_id=post.id,
        data=PostInput(title="Second title", body="Second text", slug=post.slug),
        intent=Intent.PUBLISH,
    )
    update_post(author=author, post_id=post.id, data=_same(post), intent=Intent.PUBLISH)
    history = revisions(post)
    assert [(r.title, r.body_source, r.edited_by) for r in history] == [
        ("First title", "First text", editor)
    ]
    assert history[0].created_at is not None and post.updated_at is not None


def test_publish_keeps_the_date_of_a_live_post_and_dates_a_draft_now(author: User) -> None:
    draft = _write(author, Intent.DRAFT)
    assert draft.status is PostStatus.DRAFT and draft.slug not in _live_slugs()
    live = _write(author, publish_at=datetime(2026, 3, 1, tzinfo=UTC))
    update_post(author=author, post_id=live.id, data=_same(live), intent=Intent.PUBLISH)
    assert live.published_at == datetime(2026, 3, 1, tzinfo=UTC)
    before = datetime.now(UTC)
    update_post(author=author, post_id=draft.id, data=_same(draft), intent=Intent.PUBLISH)
    assert draft.published_at >= before and draft.is_live()


def test_pinned_posts_come_first_on_the_index(author: User) -> None:
    pinned = make_post(pinned=True, published_at=datetime(2026, 1, 2, tzinfo=UTC))
    newer = make_post(published_at=datetime(2026, 6, 1, tzinfo=UTC))
    assert _live_slugs()[:2] == [pinned.slug, newer.slug]


def test_delete_category_moves_its_posts_to_the_chosen_one(author: User) -> None:
    old, new = make_category(name="Old"), make_category(name="New")
    posts = [make_post(category_id=old.id) for _ in range(2)]
    moved = categories.delete_category(author=author, category_id=old.id, move_to_id=new.id)
    db.session.expire_all()
    assert moved == 2 and [p.category_id for p in posts] == [new.id, new.id]
    assert [c.name for c in categories.ordered()] == ["New"]


def test_delete_category_to_no_category_or_to_itself(author: User) -> None:
    doomed = make_category()
    post = make_post(category_id=doomed.id)
    with pytest.raises(InvalidInput):
        categories.delete_category(author=author, category_id=doomed.id, move_to_id=doomed.id)
    categories.delete_category(author=author, category_id=doomed.id, move_to_id=None)
    db.session.expire_all()
    assert post.category_id is None and db.session.get(Post, post.id) is not None


def test_categories_are_created_renamed_and_reordered(author: User) -> None:
    one = categories.create_category(author=author, data=CategoryInput(name="Daily life"))
    two = categories.create_category(author=author, data=CategoryInput(name="Research"))
    assert one.slug == "daily-life"
    with pytest.raises(InvalidInput) as clash:
        categories.update_category(
            author=author, category_id=two.id, data=CategoryInput(name="R", slug="daily-life")
        )
    assert "already uses" in clash.value.errors["slug"][0]
    categories.move_category(author=author, category_id=two.id, step=-1)
    assert [c.name for c in categories.ordered()] == ["Research", "Daily life"]
    categories.update_category(
        author=author, category_id=one.id, data=CategoryInput(name="Life", slug="life")
    )
    assert (one.name, one.slug) == ("Life", "life")


def test_publish_now_on_a_scheduled_post_ignores_its_future_date(author: User) -> None:
    later = datetime.now(UTC) + timedelta(days=3)
    post = _write(author, Intent.SCHEDULE, publish_at=later)
    data = PostInput(title=post.title, body=post.body_source, slug=post.slug, publish_at=later)
    update_post(author=author, post_id=post.id, data=data, intent=Intent.PUBLISH)
    assert post.is_live() and post.published_at < later
    with pytest.raises(InvalidInput) as refused:
        update_post(author=author, post_id=post.id, data=data, intent=Intent.PUBLISH)
    assert "press Schedule" in refused.value.errors["publish_at"][0]
