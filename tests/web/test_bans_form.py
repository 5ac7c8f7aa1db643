"""The new-ban form: refused input comes back on the form, with the input kept and a 400."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Ban
from forum.models import Role
from tests.factories import make_user


@pytest.fixture(autouse=True)
def _moderator(client: FlaskClient, login: Any) -> None:
    login(make_user(role=Role.MODERATOR))


@pytest.mark.parametrize(
    ("target", "typed", "message"),
    [
        ("ip", "999.1.1.1", "Enter an address such as 203.0.113.7"),
        ("user", "troll@example.org", "That is an email address: choose “Email” above"),
        ("user", "nobody", "Give the account’s number"),
        ("email", "not-an-address", "Enter an email address"),
    ],
)
def test_ban_with_bad_value_shows_the_error_on_the_form_and_keeps_the_input(
    client: FlaskClient, target: str, typed: str, message: str
) -> None:
    response = client.post(
        "/mod/bans", data={"target": target, "value": typed, "reason": "kept reason"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert '<h2 id="new-ban-heading">New ban</h2>' in html  # the page, not a bare error page
    assert 'id="value-errors"' in html and message in html
    assert f'value="{typed}"' in html and 'value="kept reason"' in html
    assert f'<option selected value="{target}">' in html
    assert db.session.scalar(select(func.count(Ban.id))) == 0


def test_ban_of_an_unknown_account_says_so_on_the_form(client: FlaskClient) -> None:
    response = client.post("/mod/bans", data={"target": "user", "value": "9999"})
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "That account does not exist." in html
    assert 'value="9999"' in html and "New ban" in html
