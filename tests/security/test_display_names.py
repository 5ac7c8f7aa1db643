"""Display names: invisible and direction-changing characters go, staff look-alikes are refused."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Reply
from forum.models import Role
from forum.models import User
from forum.security.oidc import ExternalProfile
from forum.services import accounts
from forum.services.importing import Options
from forum.services.importing import import_file
from forum.text.names import clean_name
from forum.text.names import skeletons
from tests.export_files import Comment
from tests.export_files import Item
from tests.export_files import wxr
from tests.factories import make_post
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("open_rules")

INVISIBLE = [
    *map(chr, range(0x202A, 0x202F)),
    *map(chr, range(0x2066, 0x206A)),
    "\u200e",
    "\u200f",
    "\u061c",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
]


@pytest.mark.parametrize("char", INVISIBLE, ids=lambda c: f"U+{ord(c):04X}")
def test_clean_name_removes_each_invisible_character(char: str) -> None:
    assert clean_name(f"{char}Ad{char}a{char}") == "Ada"


def test_clean_name_composes_to_nfc() -> None:
    assert clean_name("Zoe\u0308") == "Zo\u00eb"


@pytest.mark.parametrize(
    "look_alike", ["Adrnin", "\u0410dmin", "ADMIN", "admin", "Ad\u200bmin", "\uff21dmin", "Ad min"]
)
def test_skeleton_matches_names_that_look_like_admin(look_alike: str) -> None:
    assert skeletons(look_alike) & skeletons("Admin")


@pytest.mark.parametrize("other", ["Adam", "Amin", "Alice", "Administrator", "Bob"])
def test_skeleton_tells_different_names_apart(other: str) -> None:
    assert not skeletons(other) & skeletons("Admin")


def _count() -> int:
    return db.session.scalar(select(func.count(Reply.id))) or 0


def _guest_reply(client: FlaskClient, slug: str, name: str) -> Any:
    data = {"name": name, "email": "guest@example.org", "body": "Hello"}
    return client.post(f"/t/{slug}/replies", data=data)


@pytest.mark.parametrize("name", ["Adrnin", "\u0410dmin", "ADMIN", "A\u200bdmin"])
def test_guest_cannot_post_as_a_moderator_look_alike(client: FlaskClient, name: str) -> None:
    make_user(display_name="Admin", role=Role.MODERATOR)
    post = make_post()
    response = _guest_reply(client, post.slug, name)
    assert response.status_code == 400
    assert "looks like the name of one of this site" in response.get_data(as_text=True)
    assert _count() == 0


def test_guest_may_use_a_name_that_only_resembles_a_member(client: FlaskClient) -> None:
    make_user(display_name="Admin", role=Role.MEMBER)
    post = make_post()
    assert _guest_reply(client, post.slug, "Adrnin").status_code in (302, 303)
    assert _count() == 1


def test_guest_name_is_stored_without_bidi_overrides(client: FlaskClient) -> None:
    post = make_post()
    _guest_reply(client, post.slug, "\u202eevil\u202c \u2066Eve\u2069")
    assert db.session.scalar(select(Reply.guest_name)) == "evil Eve"


def test_name_of_only_invisible_characters_is_refused(client: FlaskClient) -> None:
    post = make_post()
    response = _guest_reply(client, post.slug, "\u202e\u200b\u2060")
    assert response.status_code == 400
    assert "invisible" in response.get_data(as_text=True)
    assert _count() == 0


def test_api_guest_cannot_post_as_an_admin_look_alike(client: FlaskClient) -> None:
    make_user(display_name="Admin", role=Role.ADMIN)
    post = make_post()
    body = {"body": "Hi", "name": "\u0410dmin", "email": "g@example.org"}
    response = client.post(
        f"/api/v1/posts/{post.slug}/replies", json=body, headers={"Sec-Fetch-Site": "same-origin"}
    )
    assert response.status_code == 400
    assert "name" in response.get_json()["error"]["fields"]
    assert _count() == 0


def test_sign_up_with_a_moderator_look_alike_is_refused(client: FlaskClient) -> None:
    make_user(display_name="Mod Squad", role=Role.MODERATOR)
    data = {"display_name": "M0d Squad", "email": "new@example.org", "password": "x" * 12}
    response = client.post("/account/signup", data=data)
    assert response.status_code == 400
    assert "looks like the name" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(User.id))) == 1


def test_member_cannot_rename_to_an_admin_look_alike(client: FlaskClient, login: Any) -> None:
    make_user(display_name="Admin", role=Role.ADMIN)
    member = login(make_user(display_name="Plain"))
    data = {"display_name": "Adrnin", "bio": "", "avatar": "generated"}
    response = client.post("/account/settings", data=data)
    assert response.status_code == 400
    db.session.refresh(member)
    assert member.display_name == "Plain"


def test_moderator_keeps_and_saves_their_own_name(client: FlaskClient, login: Any) -> None:
    login(make_user(display_name="Admin", role=Role.MODERATOR))
    data = {"display_name": "Admin", "bio": "Hello", "avatar": "generated"}
    assert client.post("/account/settings", data=data).status_code == 303


def test_provider_name_that_imitates_staff_falls_back(app: Flask) -> None:
    make_user(display_name="Admin", role=Role.ADMIN)
    profile = ExternalProfile("github", "77", None, False, "\u202e\u0410dmin", None)
    user = accounts.sign_in_with_identity(profile).user
    assert user is not None and user.display_name == "Github user"


def test_provider_name_is_cleaned(app: Flask) -> None:
    profile = ExternalProfile("github", "78", None, False, "\u200bR\u200dose\u202e", None)
    user = accounts.sign_in_with_identity(profile).user
    assert user is not None and user.display_name == "Rose"


def test_imported_author_names_are_cleaned(app: Flask, tmp_path: Path) -> None:
    comment = Comment(id=10, author="\u202eMallory\u2069\u200b")
    path = tmp_path / "blog.xml"
    path.write_text(wxr([Item(id=1, title="T", slug="t", comments=[comment])]), encoding="utf-8")
    import_file(kind="wordpress", path=path, options=Options())
    assert db.session.scalar(select(Reply.guest_name)) == "Mallory"
