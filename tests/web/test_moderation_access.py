"""Every /mod page and moderation POST: guests are sent to sign in, members get 403."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from forum.models import Role
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

GET_PAGES = [
    "/mod",
    "/mod/queue/pending",
    "/mod/queue/flagged",
    "/mod/replies/{reply}",
    "/mod/bans",
    "/mod/audit",
    "/mod/mail/",
    "/mod/settings/rules",
    "/mod/settings/roles",
    "/mod/settings/site",
    "/mod/settings/import",
]
POST_ACTIONS = [
    ("/mod/act", {"action": "approve", "ids": "{reply}"}),
    ("/mod/group", {"reason": "first_time"}),
    ("/mod/replies/{reply}/edit", {"body": "changed"}),
    ("/mod/replies/{reply}/reply", {"body": "answer"}),
    ("/mod/replies/{reply}/branch", {"action": "trash"}),
    ("/mod/bans", {"target": "email", "value": "x@example.org"}),
    ("/mod/bans/1/lift", {}),
    ("/mod/audit/1/undo", {}),
    ("/mod/settings/rules", {"submit": "save", "link_limit": "0"}),
    ("/mod/settings/roles/{member}", {"role": "admin"}),
    ("/mod/settings/site", {"site_name": "Taken over"}),
    ("/mod/settings/import", {"source": "wordpress"}),
]
ADMIN_ONLY = ("/mod/settings",)


@pytest.fixture
def ids(app: object) -> dict[str, int]:
    post = make_post()
    return {"reply": make_reply(post).id, "member": make_user().id}


def _fill(template: str, ids: dict[str, int]) -> str:
    return template.format(**ids)


@pytest.mark.parametrize("path", GET_PAGES)
def test_guest_is_sent_to_sign_in(client: FlaskClient, ids: dict[str, int], path: str) -> None:
    response = client.get(_fill(path, ids))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/account/login?next=")


@pytest.mark.parametrize(("path", "data"), POST_ACTIONS)
def test_guest_post_gets_403(
    client: FlaskClient, ids: dict[str, int], path: str, data: dict[str, str]
) -> None:
    response = client.post(_fill(path, ids), data={k: _fill(v, ids) for k, v in data.items()})
    assert response.status_code == 403


@pytest.mark.parametrize("path", GET_PAGES)
def test_member_gets_403_on_every_page(
    client: FlaskClient, login: Any, ids: dict[str, int], path: str
) -> None:
    login(make_user(role=Role.MEMBER))
    assert client.get(_fill(path, ids)).status_code == 403


@pytest.mark.parametrize(("path", "data"), POST_ACTIONS)
def test_member_gets_403_on_every_action(
    client: FlaskClient, login: Any, ids: dict[str, int], path: str, data: dict[str, str]
) -> None:
    login(make_user(role=Role.MEMBER))
    response = client.post(_fill(path, ids), data={k: _fill(v, ids) for k, v in data.items()})
    assert response.status_code == 403


@pytest.mark.parametrize("path", GET_PAGES)
def test_moderator_sees_dashboard_pages_but_not_admin_settings(
    client: FlaskClient, login: Any, ids: dict[str, int], path: str
) -> None:
    login(make_user(role=Role.MODERATOR))
    response = client.get(_fill(path, ids), follow_redirects=True)
    expected = 403 if path.startswith(ADMIN_ONLY) else 200
    assert response.status_code == expected


@pytest.mark.parametrize("path", GET_PAGES)
def test_admin_sees_every_page(
    client: FlaskClient, login: Any, ids: dict[str, int], path: str
) -> None:
    login(make_user(role=Role.ADMIN))
    assert client.get(_fill(path, ids), follow_redirects=True).status_code == 200


def test_banned_moderator_loses_access(client: FlaskClient, login: Any) -> None:
    from datetime import UTC
    from datetime import datetime

    login(make_user(role=Role.MODERATOR, banned_at=datetime.now(UTC)))
    assert client.get("/mod/queue/pending").status_code == 403
