"""`porch post create`: publish, schedule or draft a post from a Markdown file."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path

import click
from flask import current_app
from flask import url_for
from sqlalchemy import select

from forum.errors import DomainError
from forum.errors import InvalidInput
from forum.extensions import db
from forum.models import Category
from forum.models import Role
from forum.models import User
from forum.models.base import utcnow
from forum.services.posts import Intent
from forum.services.posts import PostInput
from forum.services.posts import create_post
from forum.web.desk.presenters import saved_message

post = click.Group("post", help="Write posts from scripts.")


def _author(email: str | None) -> User:
    """The named account, or the first admin: revisions and the byline need a person."""
    if email:
        query = select(User).where(User.email == email.lower())
    else:
        query = select(User).where(User.role == Role.ADMIN).order_by(User.id).limit(1)
    found: User | None = db.session.scalar(query)
    if found is None:
        raise click.ClickException(
            f"No account with the email {email}."
            if email
            else "No admin account yet: "
            "create one with `porch user create --role admin`, or pass --author EMAIL."
        )
    return found


def _category_id(slug: str | None) -> int | None:
    if not slug:
        return None
    category = db.session.scalar(select(Category).where(Category.slug == slug))
    if category is None:
        raise click.ClickException(f"There is no category with the slug “{slug}”.")
    return category.id


def _when(raw: str | None) -> datetime | None:
    if raw is None:
        return None
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError as error:
        raise click.ClickException(
            f"--publish-at “{raw}” is not an ISO date and time, such as 2027-01-31T09:00."
        ) from error
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _intent(draft: bool, publish_at: datetime | None) -> Intent:
    if draft:
        return Intent.DRAFT
    return Intent.SCHEDULE if publish_at is not None and publish_at > utcnow() else Intent.PUBLISH


@post.command("create")
@click.option("--title", required=True, help="The post's title.")
@click.option(
    "--file", "body_file", required=True, type=click.Path(path_type=Path), help="Markdown body."
)
@click.option("--category", help="Category slug.")
@click.option("--slug", default="", help="Web address; made from the title when left out.")
@click.option("--publish-at", help="ISO date and time (UTC unless an offset is given).")
@click.option("--draft", is_flag=True, help="Save as a draft instead of publishing.")
@click.option("--author", help="Email of the author; the first admin when left out.")
def create(
    title: str,
    body_file: Path,
    category: str | None,
    slug: str,
    publish_at: str | None,
    draft: bool,
    author: str | None,
) -> None:
    """Publish (or schedule, or draft) a post and print its address."""
    if draft and publish_at:
        raise click.ClickException("Use either --draft or --publish-at, not both.")
    try:
        body = body_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise click.ClickException(f"Cannot read {body_file}: {error}") from error
    when = _when(publish_at)
    data = PostInput(
        title=title, body=body, slug=slug, category_id=_category_id(category), publish_at=when
    )
    try:
        created = create_post(author=_author(author), data=data, intent=_intent(draft, when))
    except InvalidInput as error:
        problems = "; ".join(f"{field}: {' '.join(msgs)}" for field, msgs in error.errors.items())
        raise click.ClickException(problems) from error
    except DomainError as error:
        raise click.ClickException(error.message) from error
    base_url = current_app.config["SITE_URL"] or "http://localhost/"
    with current_app.test_request_context(base_url=base_url):
        url = url_for("threads.show", slug=created.slug, _external=True)
    click.echo(saved_message(created))
    click.echo(url)
