"""Writing posts at the desk: drafts, scheduling, publishing, unpublishing, revisions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import exists
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import Category
from forum.models import Post
from forum.models import PostRevision
from forum.models import PostStatus
from forum.models import User
from forum.models.base import utcnow
from forum.security.policies import can_author
from forum.security.policies import comments_closed_reason
from forum.services.search import index as search_index
from forum.services.site_settings import moderation_settings
from forum.services.slugs import at_most
from forum.services.slugs import first_free
from forum.services.slugs import slug_problem
from forum.services.slugs import slugify
from forum.text.render import excerpt_of
from forum.text.render import normalize_source
from forum.text.render import render_article

SLUG_MAX = 200
TITLE_MAX = 300
SERIES_MAX = 200
EXCERPT_MAX = 500
BODY_MAX = 200_000


class Intent(StrEnum):
    """The button pressed: what should become of the post."""

    DRAFT = "draft"  # keep it (or put it back) out of readers' sight
    PUBLISH = "publish"  # live now; a live post keeps its date unless given an earlier one
    SCHEDULE = "schedule"  # live at publish_at, which must be in the future


@dataclass(frozen=True)
class PostInput:
    title: str
    body: str
    slug: str = ""  # blank: made from the title
    category_id: int | None = None
    series_name: str = ""
    series_position: int | None = None
    series_total: int | None = None
    excerpt: str = ""  # blank: the start of the body
    publish_at: datetime | None = None
    comments_open: bool = True
    close_after_days: int | None = None  # None: the site's setting
    pinned: bool = False


def require_author(user: User | None) -> User:
    if user is None or not can_author(user):
        raise Forbidden(_("Only authors can write posts; an admin can make you one."))
    return user


def get_post(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None:
        raise NotFound(_("There is no such post."))
    return post


def closed_reason(post: Post) -> str | None:
    """Why the post takes no more replies (shown instead of the form), or None."""
    if not post.is_live():
        return _("Replies open once the post is published.")
    return comments_closed_reason(post, moderation_settings().close_after_days, utcnow())


def create_post(*, author: User | None, data: PostInput, intent: Intent) -> Post:
    writer = require_author(author)
    post = Post(author_id=writer.id, title="", slug="", published_at=utcnow())
    _check(post, data, intent)
    _fill(post, data, intent)
    db.session.add(post)
    _commit(data, post)
    return post


def update_post(*, author: User | None, post_id: int, data: PostInput, intent: Intent) -> Post:
    """Save the new version; the old title and text go to the post's revision history."""
    writer = require_author(author)
    post = get_post(post_id)
    _check(post, data, intent)
    source = normalize_source(data.body)
    if (post.title, post.body_source) != (data.title.strip(), source):
        db.session.add(
            PostRevision(
                post_id=post.id,
                title=post.title,
                body_source=post.body_source,
                edited_by_id=writer.id,
            )
        )
    _fill(post, data, intent)
    post.updated_at = utcnow()
    _commit(data, post)
    return post


def unpublish_post(*, author: User | None, post_id: int) -> Post:
    """Back to draft: readers get 404 again; its replies are kept for when it returns."""
    require_author(author)
    post = get_post(post_id)
    post.status = PostStatus.DRAFT
    post.updated_at = utcnow()
    db.session.commit()
    return post


def revisions(post: Post) -> list[PostRevision]:
    """Earlier versions, newest first, with their editors, in one query."""
    query = (
        select(PostRevision)
        .where(PostRevision.post_id == post.id)
        .options(joinedload(PostRevision.edited_by))
        .order_by(PostRevision.created_at.desc(), PostRevision.id.desc())
    )
    return list(db.session.scalars(query))


def _check(post: Post, data: PostInput, intent: Intent) -> None:
    """Every problem at once, before anything changes, so the form can show each."""
    errors = _problems(post, data, intent)
    if errors:
        raise InvalidInput(errors)


def _fill(post: Post, data: PostInput, intent: Intent) -> None:
    """Copy checked input onto the post, deriving what was left blank."""
    now = utcnow()
    source = normalize_source(data.body)
    _schedule(post, intent, data.publish_at, now)
    post.title = data.title.strip()
    post.slug = data.slug or _free_slug(slugify(post.title, SLUG_MAX, "post"), post)
    post.category_id = data.category_id
    post.series_name = data.series_name.strip() or None
    post.series_position = data.series_position if post.series_name else None
    post.series_total = data.series_total if post.series_name else None
    post.body_source = source
    post.body_html = render_article(source)
    post.excerpt = data.excerpt.strip() or excerpt_of(post.body_html)
    post.comments_open = data.comments_open
    post.close_after_days = data.close_after_days
    post.pinned = data.pinned


def _schedule(post: Post, intent: Intent, publish_at: datetime | None, now: datetime) -> None:
    was_live = post.id is not None and post.is_live(now)
    if intent is Intent.DRAFT:
        post.status = PostStatus.DRAFT
        post.published_at = publish_at or post.published_at or now
    elif intent is Intent.SCHEDULE and publish_at is not None:
        post.status, post.published_at = PostStatus.PUBLISHED, publish_at
    else:  # "Publish now" dates a new or hidden post now; an earlier date given back-dates it
        post.status = PostStatus.PUBLISHED
        earlier = publish_at if publish_at is not None and publish_at <= now else None
        post.published_at = earlier or (post.published_at if was_live else now)


def _problems(post: Post, data: PostInput, intent: Intent) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    title = data.title.strip()
    if not title:
        errors["title"] = [_("Give the post a title.")]
    elif len(title) > TITLE_MAX:
        errors["title"] = [at_most(TITLE_MAX)]
    if data.slug:
        problem = slug_problem(data.slug, SLUG_MAX) or _slug_clash(data.slug, post)
        if problem:
            errors["slug"] = [problem]
    if data.category_id is not None and db.session.get(Category, data.category_id) is None:
        errors["category_id"] = [_("That category no longer exists; choose another.")]
    errors.update(_series_problems(data))
    if len(data.excerpt.strip()) > EXCERPT_MAX:
        errors["excerpt"] = [at_most(EXCERPT_MAX)]
    if intent is not Intent.DRAFT and not data.body.strip():
        errors["body"] = [_("Write the post before publishing it (a draft may stay empty).")]
    errors.update(_time_problems(post, data, intent))
    if data.close_after_days is not None and data.close_after_days < 0:
        errors["close_after_days"] = [_("Use 0 (never) or more days, or leave it blank.")]
    return errors


def _series_problems(data: PostInput) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    name, position, total = data.series_name.strip(), data.series_position, data.series_total
    if len(name) > SERIES_MAX:
        errors["series_name"] = [at_most(SERIES_MAX)]
    if name and position is None:
        errors["series_position"] = [_("Give this post's part number in the series.")]
    if not name and (position is not None or total is not None):
        errors["series_name"] = [_("Name the series, or leave the part numbers blank.")]
    if position is not None and position < 1:
        errors["series_position"] = [_("Parts are numbered from 1.")]
    if total is not None and (total < 1 or (position is not None and position > total)):
        errors["series_total"] = [_("The total must be at least this post's part number.")]
    return errors


def _time_problems(post: Post, data: PostInput, intent: Intent) -> dict[str, list[str]]:
    when, now = data.publish_at, utcnow()
    if intent is Intent.SCHEDULE and (when is None or when <= now):
        return {"publish_at": [_("Pick a future date and time to schedule the post for.")]}
    live = post.id is not None and post.is_live(now)
    if intent is Intent.PUBLISH and live and when is not None and when > now:
        return {"publish_at": [_("To take a live post off until later, press Schedule.")]}
    return {}


def _slug_clash(slug: str, post: Post) -> str | None:
    if _slug_taken(slug, post):
        return _("Another post already uses the address “%(slug)s”: choose another one.", slug=slug)
    return None


def _slug_taken(slug: str, post: Post) -> bool:
    query = select(exists().where(Post.slug == slug, Post.id != (post.id or 0)))
    return bool(db.session.scalar(query))


def _free_slug(base: str, post: Post) -> str:
    return first_free(base, SLUG_MAX, lambda slug: _slug_taken(slug, post))


def _commit(data: PostInput, post: Post) -> None:
    """Index and commit; a post saved at the same moment with the same address loses cleanly."""
    try:
        db.session.flush()
        search_index.index_post(post)
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        if data.slug:
            problem = _(
                "Another post already uses the address “%(slug)s”: choose another one.",
                slug=data.slug,
            )
        else:
            problem = _("Another post already uses this address: choose another one.")
        raise InvalidInput({"slug": [problem]}) from error
