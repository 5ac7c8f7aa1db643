"""Categories at the desk: create, rename, reorder, and delete with their posts moved."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.i18n import ngettext
from forum.models import Category
from forum.models import Post
from forum.models import User
from forum.services.posts import require_author
from forum.services.slugs import at_most
from forum.services.slugs import first_free
from forum.services.slugs import slug_problem
from forum.services.slugs import slugify

SLUG_MAX = 80
NAME_MAX = 120
DESCRIPTION_MAX = 2000


@dataclass(frozen=True)
class CategoryInput:
    name: str
    slug: str = ""  # blank: made from the name
    description: str = ""


@dataclass
class CategoryRow:
    category: Category
    post_count: int


def ordered() -> list[Category]:
    return list(db.session.scalars(select(Category).order_by(Category.position, Category.id)))


def with_post_counts() -> list[CategoryRow]:
    """Every category in display order with its number of posts (any status), in one query."""
    counts = (
        select(Post.category_id, func.count(Post.id).label("n"))
        .group_by(Post.category_id)
        .subquery()
    )
    query = (
        select(Category, counts.c.n)
        .outerjoin(counts, counts.c.category_id == Category.id)
        .order_by(Category.position, Category.id)
    )
    return [CategoryRow(category, n or 0) for category, n in db.session.execute(query)]


def get_category(category_id: int) -> Category:
    category = db.session.get(Category, category_id)
    if category is None:
        raise NotFound(_("There is no such category."))
    return category


def create_category(*, author: User | None, data: CategoryInput) -> Category:
    require_author(author)
    category = Category(name="", slug="", position=_next_position())
    _fill(category, data)
    db.session.add(category)
    _commit(data)
    return category


def update_category(*, author: User | None, category_id: int, data: CategoryInput) -> Category:
    require_author(author)
    category = get_category(category_id)
    _fill(category, data)
    _commit(data)
    return category


def move_category(*, author: User | None, category_id: int, step: int) -> Category:
    """Swap places with the neighbour above (step -1) or below (step 1)."""
    require_author(author)
    category = get_category(category_id)
    siblings = ordered()
    index = siblings.index(category)
    target = index + (1 if step > 0 else -1)
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, each in enumerate(siblings):
        each.position = position
    db.session.commit()
    return category


def delete_category(*, author: User | None, category_id: int, move_to_id: int | None) -> int:
    """Move the category's posts to `move_to_id` (None: no category), then delete it."""
    require_author(author)
    category = get_category(category_id)
    if move_to_id is not None and (
        move_to_id == category.id or db.session.get(Category, move_to_id) is None
    ):
        raise InvalidInput({"move_to": [_("Choose another existing category, or no category.")]})
    moved = db.session.execute(
        update(Post).where(Post.category_id == category.id).values(category_id=move_to_id)
    )
    db.session.delete(category)
    db.session.commit()
    return int(getattr(moved, "rowcount", 0) or 0)


def _fill(category: Category, data: CategoryInput) -> None:
    errors: dict[str, list[str]] = {}
    name = data.name.strip()
    if not name or len(name) > NAME_MAX:
        errors["name"] = [
            ngettext(
                "Give the category a name of 1 to %(num)d character.",
                "Give the category a name of 1 to %(num)d characters.",
                NAME_MAX,
            )
        ]
    if data.slug and (problem := slug_problem(data.slug, SLUG_MAX) or _clash(data.slug, category)):
        errors["slug"] = [problem]
    if len(data.description) > DESCRIPTION_MAX:
        errors["description"] = [at_most(DESCRIPTION_MAX)]
    if errors:
        raise InvalidInput(errors)
    category.name = name
    category.slug = data.slug or first_free(
        slugify(name, SLUG_MAX, "category"), SLUG_MAX, lambda slug: _taken(slug, category)
    )
    category.description = data.description.strip()


def _taken(slug: str, category: Category) -> bool:
    query = select(exists().where(Category.slug == slug, Category.id != (category.id or 0)))
    return bool(db.session.scalar(query))


def _clash(slug: str, category: Category) -> str | None:
    if _taken(slug, category):
        return _(
            "Another category already uses the address “%(slug)s”: choose another one.",
            slug=slug,
        )
    return None


def _next_position() -> int:
    highest = db.session.scalar(select(func.max(Category.position)))
    return (highest or 0) + 1


def _commit(data: CategoryInput) -> None:
    try:
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        raise InvalidInput(
            {"slug": [_("Another category took this address just now: choose another one.")]}
        ) from error
