"""API test helpers: tokens, headers, and answers checked against the documented schemas."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from forum.models import User
from forum.services import api_tokens
from forum.web.api.spec import OPERATIONS
from forum.web.api.validation import validate

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def bearer(user: User, *scopes: str) -> dict[str, str]:
    """Headers carrying a fresh token of the user with these scopes."""
    made = api_tokens.create_token(user=user, name="script", scopes=list(scopes or ("read",)))
    return {"Authorization": f"Bearer {made.secret}"}


def answer(response: Any, endpoint: str, status: int | None = None) -> Any:
    """The JSON of a response, asserting it matches what the document promises."""
    operation = OPERATIONS[f"api.{endpoint}"]
    data = response.get_json()
    if status is not None:
        assert response.status_code == status, data
    from forum.web.api.schemas import ERROR

    schema = operation.response if response.status_code == operation.status else ERROR
    assert validate(schema, data) == {}, data
    return data


@pytest.fixture
def api(client: FlaskClient) -> FlaskClient:
    return client
