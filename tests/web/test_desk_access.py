"""Every desk page and action: guests are sent to sign in, members get 403, authors get in."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.models import AuditEntry
from forum.models import Post
from forum.models import Role
from tests.factories import make_category
from tests.factories import make_post
from tests.factories import make_user

GET_PAGES = [
    "/desk",
    "/desk?tab=drafts",
    "/desk/posts/new",
    "/desk/posts/{post}",
    "/desk/categories",
    "/desk/categories/{category}",
    "/desk/categories/{category}/delete",
]
POST_ACTIONS = [
    ("/desk/posts/new", {"title": "Taken over", "body": "x", "action": "publish"}),
    ("/desk/posts/{post}", {"title": "Taken over", "body": "x", "action": "publish"}),
    ("/desk/posts/{post}/unpublish", {}),
    ("/desk/preview", {"body": "# x"}),
    ("/desk/categories", {"name": "New"}),
    ("/desk/categories/{category}", {"name": "Renamed"}),
    ("/desk/categories/{category}/move", {"direction": "up"}),
    ("/desk/categories/{category}/delete", {"move_to": ""}),
]


@pytest.fixture
def ids(app: object) -> dict[str, int]:
    category = make_category()
    return {"post": make_post(category_id=category.id).id, "category": category.id}


def _fill(template: str, ids: dict[str, int]) -> str:
    return template.format(**ids)


def _post(client: FlaskClient, path: str, data: dict[str, str], ids: dict[str, int]) -> Any:
    return client.post(_fill(path, ids), data=data)


def _unchanged(ids: dict[str, int]) -> bool:
    db.session.expire_all()
    post = db.session.get(Post, ids["post"])
    return post is not None and post.title != "Taken over" and post.is_live()


@pytest.mark.parametrize("path", GET_PAGES)
def test_desk_page_as_guest_sends_to_sign_in(
    client: FlaskClient, ids: dict[str, int], path: str
) -> None:
    response = client.get(_fill(path, ids))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")


@pytest.mark.parametrize(("path", "data"), POST_ACTIONS)
def test_desk_action_as_guest_gets_403(
    client: FlaskClient, ids: dict[str, int], path: str, data: dict[str, str]
) -> None:
    assert _post(client, path, data, ids).status_code == 403
    assert _unchanged(ids)


@pytest.mark.parametrize("role", [Role.MEMBER, Role.MODERATOR])
@pytest.mark.parametrize("path", GET_PAGES)
def test_desk_page_as_non_author_gets_403(
    client: FlaskClient, login: Any, ids: dict[str, int], path: str, role: Role
) -> None:
    login(make_user(role=role))
    response = client.get(_fill(path, ids))
    assert response.status_code == 403
    assert "an admin can let you write posts" in response.get_data(as_text=True)


@pytest.mark.parametrize(("path", "data"), POST_ACTIONS)
def test_desk_action_as_member_gets_403_and_changes_nothing(
    client: FlaskClient, login: Any, ids: dict[str, int], path: str, data: dict[str, str]
) -> None:
    login(make_user(role=Role.MEMBER))
    assert _post(client, path, data, ids).status_code == 403
    assert _unchanged(ids)


@pytest.mark.parametrize("path", GET_PAGES)
def test_desk_page_as_admin_or_granted_author_is_shown(
    client: FlaskClient, login: Any, ids: dict[str, int], path: str
) -> None:
    login(make_user(role=Role.ADMIN))
    assert client.get(_fill(path, ids)).status_code == 200
    login(make_user(role=Role.MEMBER, can_author=True))
    assert client.get(_fill(path, ids)).status_code == 200


def test_desk_as_banned_author_gets_403(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN, banned_at=datetime.now(UTC)))
    assert client.get("/desk").status_code == 403


def test_header_links_to_desk_only_for_authors(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.MEMBER))
    assert 'href="/desk"' not in client.get("/").get_data(as_text=True)
    login(make_user(role=Role.MEMBER, can_author=True))
    assert 'href="/desk"' in client.get("/").get_data(as_text=True)


def test_admin_grants_and_withdraws_author_on_roles_page(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.ADMIN))
    member = make_user(role=Role.MEMBER)
    response = client.post(f"/mod/settings/roles/{member.id}/author", data={"allowed": "1"})
    assert response.status_code == 303
    page = client.get("/mod/settings/roles").get_data(as_text=True)
    assert "may now write posts at the desk" in page
    db.session.expire_all()
    assert member.can_author is True
    client.post(f"/mod/settings/roles/{member.id}/author", data={"allowed": "0"})
    db.session.expire_all()
    assert member.can_author is False


def test_author_grant_by_moderator_or_bad_value_is_refused(client: FlaskClient, login: Any) -> None:
    member = make_user(role=Role.MEMBER)
    login(make_user(role=Role.MODERATOR))
    path = f"/mod/settings/roles/{member.id}/author"
    assert client.post(path, data={"allowed": "1"}).status_code == 403
    login(make_user(role=Role.ADMIN))
    assert client.post(path, data={"allowed": "yes"}).status_code == 400
    db.session.expire_all()
    assert member.can_author is False


def test_author_grant_is_in_the_audit_log_and_can_be_undone(
    client: FlaskClient, login: Any
) -> None:
    login(make_user(role=Role.ADMIN))
    member = make_user(role=Role.MEMBER)
    client.post(f"/mod/settings/roles/{member.id}/author", data={"allowed": "1"})
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.before, entry.after) == ({"author": False}, {"author": True})
    assert client.post(f"/mod/audit/{entry.id}/undo").status_code == 303
    db.session.expire_all()
    assert member.can_author is False and member.role is Role.MEMBER
