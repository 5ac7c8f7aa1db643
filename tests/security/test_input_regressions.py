"""Inputs the fuzz tests found answered with a 500, each now a clear 400 with nothing stored."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Reply
from tests.factories import make_post

JSON = {"Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}


def _replies() -> int:
    return db.session.scalar(select(func.count(Reply.id))) or 0


@pytest.mark.parametrize(
    "body",
    ["[" * 100_000 + "]" * 100_000, '{"body": ' + "[" * 5000 + "]" * 5000 + "}"],
    ids=["deep-array", "deep-field"],
)
def test_json_nested_past_the_parser_is_a_400(client: FlaskClient, body: str) -> None:
    post = make_post()
    response = client.post(f"/api/v1/posts/{post.slug}/replies", data=body, headers=JSON)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "invalid_json"


@pytest.mark.parametrize("field", ["body", "name", "email", "url"])
def test_json_lone_surrogate_is_a_field_error(client: FlaskClient, field: str) -> None:
    post = make_post()
    values = {"body": "Hi", "name": "Ann", "email": "ann@example.org", field: "x\\ud800y"}
    body = "{" + ", ".join(f'"{k}": "{v}"' for k, v in values.items()) + "}"
    response = client.post(f"/api/v1/posts/{post.slug}/replies", data=body, headers=JSON)
    assert response.status_code == 400
    assert field in response.get_json()["error"]["fields"]
    assert _replies() == 0
