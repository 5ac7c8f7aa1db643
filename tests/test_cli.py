"""`flask --app wsgi porch ...` commands."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from forum.extensions import db
from forum.models import Role
from forum.models import User
from forum.services import accounts


def test_user_create_makes_a_confirmed_admin_with_password_from_environment(app: Flask) -> None:
    result = app.test_cli_runner().invoke(
        args=[
            "porch",
            "user",
            "create",
            "--email",
            "Owner@Example.org",
            "--name",
            "Owner",
            "--role",
            "admin",
        ],
        env={"PORCH_PASSWORD": "a long admin password"},
    )
    assert result.exit_code == 0, result.output
    assert "Created admin Owner <owner@example.org>" in result.output
    user = db.session.scalars(select(User)).one()
    assert user.role is Role.ADMIN and user.email_verified
    assert (
        accounts.authenticate(email="owner@example.org", password="a long admin password").id
        == user.id
    )


def test_user_create_prompts_for_the_password_and_refuses_duplicates(app: Flask) -> None:
    runner = app.test_cli_runner()
    args = ["porch", "user", "create", "--email", "m@example.org", "--name", "M"]
    first = runner.invoke(args=args, input="another long password\nanother long password\n")
    assert first.exit_code == 0, first.output
    again = runner.invoke(args=args, input="another long password\nanother long password\n")
    assert again.exit_code != 0 and "already exists" in again.output


def test_demo_refuses_a_site_with_content_unless_if_empty(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert "Demo content loaded" in runner.invoke(args=["porch", "demo"]).output
    skipped = runner.invoke(args=["porch", "demo", "--if-empty"])
    assert skipped.exit_code == 0 and "already has posts" in skipped.output
    refused = runner.invoke(args=["porch", "demo"])
    assert refused.exit_code != 0 and "empty database" in refused.output
