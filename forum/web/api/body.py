"""The request's JSON body, checked against the operation's schema."""

from __future__ import annotations

from typing import Any

from flask import request

from forum.errors import InvalidInput
from forum.web.api.auth import ApiError
from forum.web.api.spec import OPERATIONS
from forum.web.api.validation import validate


def json_body() -> dict[str, Any]:
    """The body as a dict that matches the schema; field errors otherwise (400)."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: no body of ours is
        data = None
    if not isinstance(data, dict):
        raise ApiError(
            400, "invalid_json", "Send a JSON object with Content-Type: application/json."
        )
    schema = OPERATIONS[request.endpoint or ""].body
    errors = validate(schema, data) if schema is not None else {}
    if errors:
        raise InvalidInput(errors)
    return {name: _whole(item) for name, item in data.items()}


def _whole(value: Any) -> Any:
    """Integral floats (3.0, valid JSON integers) as ints, so ids compare as ids."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole(item) for item in value]
    return value
