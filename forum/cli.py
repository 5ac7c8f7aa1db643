"""`flask --app wsgi porch ...` commands for the site owner."""

from __future__ import annotations

import click
from flask import Flask
from flask import current_app
from sqlalchemy import func
from sqlalchemy import select

from forum.commands import posts
from forum.commands.backup import backup
from forum.commands.backup import restore
from forum.commands.exporting import export
from forum.commands.import_group import import_group
from forum.commands.search import search
from forum.commands.spam import spam
from forum.commands.worker import worker
from forum.errors import InvalidInput
from forum.extensions import db
from forum.models import Post
from forum.models import Role
from forum.services import accounts

porch = click.Group("porch", help="Porch administration.")
user = click.Group("user", help="Manage accounts.")
porch.add_command(user)
porch.add_command(export)
porch.add_command(import_group)
porch.add_command(posts.post)
porch.add_command(worker)
porch.add_command(search)
porch.add_command(spam)
porch.add_command(backup)
porch.add_command(restore)


def register_cli(app: Flask) -> None:
    import forum.commands.importing  # noqa: F401  adds `import wordpress|disqus` to the group

    app.cli.add_command(porch)


@porch.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the site already has posts.")
@click.option("--seed", default=7, show_default=True, help="Random seed for repeatable content.")
def demo(if_empty: bool, seed: int) -> None:
    """Load demo content: a blog series, categories and a 1,500-reply thread."""
    from forum.demo import DatabaseNotEmpty
    from forum.demo import load_demo

    if if_empty and (db.session.scalar(select(func.count(Post.id))) or 0) > 0:
        click.echo("The site already has posts; demo content not loaded.")
        return
    try:
        summary = load_demo(seed=seed)
    except DatabaseNotEmpty as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Demo content loaded: {summary}.")


@user.command("create")
@click.option("--email", required=True, help="Email address to sign in with.")
@click.option("--name", required=True, help="Display name.")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value)
@click.password_option(envvar="PORCH_PASSWORD", help="Password; read from PORCH_PASSWORD or asked.")
def create_user(email: str, name: str, role: str, password: str) -> None:
    """Create a confirmed account, for example the first admin."""
    try:
        created = accounts.create_user(
            email=email,
            display_name=name,
            password=password,
            role=Role(role),
            min_length=current_app.config["PASSWORD_MIN_LENGTH"],
        )
    except InvalidInput as error:
        raise click.ClickException(error.message) from error
    who = f"{created.display_name} <{created.email}>"
    click.echo(f"Created {created.role.value} {who} (id {created.id}).")


@porch.command("digest")
def digest() -> None:
    """Email moderators the digest of waiting replies now (the worker sends it daily by itself)."""
    from forum.web.notifications import send_digest

    base_url = current_app.config["SITE_URL"] or "http://localhost/"
    with current_app.test_request_context(base_url=base_url):
        sent = send_digest()
    click.echo(f"Digest sent to {sent} moderator(s).")


@porch.command("check-db")
def check_db() -> None:
    """Exit non-zero, naming the fix, when the database is not fully migrated."""
    from forum.database import SchemaOutOfDate
    from forum.database import check_schema

    try:
        check_schema(db.engine)
    except SchemaOutOfDate as error:
        raise click.ClickException(str(error)) from error
    click.echo("Database schema is up to date.")
