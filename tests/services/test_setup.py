"""The setup service: one first admin, the site's choices stored, and never a second setup."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from forum.errors import InvalidInput
from forum.extensions import db
from forum.models import Post
from forum.models import Role
from forum.models import User
from forum.security.oidc import ExternalProfile
from forum.services import setup
from forum.services.setup import AlreadySetUp
from forum.services.setup import SiteChoices
from forum.services.site_settings import site_settings
from tests.conftest import EXTERNAL_DATABASE_URL
from tests.conftest import database_for
from tests.conftest import make_app
from tests.factories import make_user

EMPTY = SiteChoices(site_name="Quiet Porch", time_zone="Europe/Berlin", with_demo=False)


def _with_password(choices: SiteChoices = EMPTY, **fields: Any) -> setup.SetupResult:
    fields.setdefault("display_name", "Ann Owner")
    fields.setdefault("email", "ann@example.org")
    fields.setdefault("password", "a long enough password")
    return setup.complete_with_password(choices=choices, min_length=10, **fields)


def _admins() -> list[User]:
    return list(db.session.scalars(select(User).where(User.role == Role.ADMIN)))


def test_setup_with_password_creates_the_admin_and_stores_the_site(app: Flask) -> None:
    assert not setup.is_set_up()
    result = _with_password()
    assert [user.email for user in _admins()] == ["ann@example.org"]
    assert result.admin.email_verified and result.admin.password_hash
    stored = site_settings()
    assert (stored.site_name, stored.time_zone) == ("Quiet Porch", "Europe/Berlin")
    assert setup.is_set_up() and result.demo_summary is None


def test_setup_run_twice_refuses_the_second_and_keeps_one_admin(app: Flask) -> None:
    _with_password()
    with pytest.raises(AlreadySetUp):
        _with_password(email="mallory@example.org", display_name="Mallory")
    assert [user.email for user in _admins()] == ["ann@example.org"]
    assert site_settings().site_name == "Quiet Porch"


def test_setup_when_an_admin_exists_already_counts_as_done(app: Flask) -> None:
    make_user(role=Role.ADMIN)
    assert setup.is_set_up()
    with pytest.raises(AlreadySetUp):
        _with_password()


def test_setup_with_bad_input_reports_every_field_and_stores_nothing(app: Flask) -> None:
    choices = SiteChoices(site_name="  ", time_zone="Mars/Olympus", with_demo=False)
    with pytest.raises(InvalidInput) as caught:
        _with_password(choices, display_name="", password="short")
    assert set(caught.value.errors) == {"site_name", "time_zone", "display_name", "password"}
    assert not setup.is_set_up() and db.session.scalar(select(func.count(User.id))) == 0


def test_setup_with_an_email_already_taken_refuses_it(app: Flask) -> None:
    make_user(email="ann@example.org")
    with pytest.raises(InvalidInput) as caught:
        _with_password()
    assert "email" in caught.value.errors and not setup.is_set_up()


def test_setup_with_demo_loads_the_demo_content(app: Flask) -> None:
    result = _with_password(SiteChoices("Demo Porch", "UTC", with_demo=True))
    assert result.demo_summary and "posts" in result.demo_summary
    assert (db.session.scalar(select(func.count(Post.id))) or 0) > 0
    assert result.admin.role is Role.ADMIN and result.admin.email == "ann@example.org"


def test_setup_with_demo_refuses_an_address_the_demo_uses(app: Flask) -> None:
    with pytest.raises(InvalidInput) as caught:
        _with_password(SiteChoices("Demo Porch", "UTC", with_demo=True), email="x@example.com")
    assert "email" in caught.value.errors


def test_setup_empty_adds_no_content(app: Flask) -> None:
    _with_password()
    assert db.session.scalar(select(func.count(Post.id))) == 0


def test_setup_with_identity_makes_the_provider_account_admin(app: Flask) -> None:
    profile = ExternalProfile("testidp", "sub-1", "ann@example.org", True, "Ann", None)
    result = setup.complete_with_identity(choices=EMPTY, profile=profile)
    assert result.admin.role is Role.ADMIN and result.admin.email_verified
    assert [(i.provider, i.subject) for i in result.admin.identities] == [("testidp", "sub-1")]
    assert result.admin.password_hash is None


@pytest.fixture
def file_app(tmp_path: Path) -> Iterator[Flask]:
    """Two threads need two connections to one database: a file, or the PostgreSQL one."""
    url = EXTERNAL_DATABASE_URL or f"sqlite:///{tmp_path / 'setup.sqlite3'}"
    app = make_app(DATABASE_URL=url)
    with database_for(app):
        yield app


def test_setup_submitted_twice_at_once_creates_one_admin(
    file_app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both pass the first check before either writes: the setup row lets only one commit."""
    both_checked = threading.Barrier(2, timeout=10)
    real_check = setup.is_set_up
    first_check = threading.local()

    def check_then_wait() -> bool:
        answer = real_check()
        if not getattr(first_check, "done", False):
            first_check.done = True
            both_checked.wait()
        return answer

    monkeypatch.setattr(setup, "is_set_up", check_then_wait)
    outcomes: list[str] = []

    def submit(n: int) -> None:
        with file_app.app_context():
            try:
                _with_password(email=f"owner{n}@example.org")
                outcomes.append("created")
            except AlreadySetUp:
                outcomes.append("already set up")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=submit, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["already set up", "created"]
    assert len(_admins()) == 1


def test_setup_with_identity_whose_email_is_taken_is_refused(app: Flask) -> None:
    make_user(email="ann@example.org")
    profile = ExternalProfile("testidp", "sub-1", "ann@example.org", True, "Ann", None)
    with pytest.raises(InvalidInput) as caught:
        setup.complete_with_identity(choices=EMPTY, profile=profile)
    assert "email" in caught.value.errors and not setup.is_set_up()
