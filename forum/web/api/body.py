"""The request's JSON body and query parameters, checked against the operation's schemas."""

from __future__ import annotations

from typing import Any

from flask import request

from forum.errors import InvalidInput
from forum.i18n import _
from forum.web.api.auth import ApiError
from forum.web.api.spec import OPERATIONS
from forum.web.api.validation import Errors
from forum.web.api.validation import validate


def json_body() -> dict[str, Any]:
    """The body as a dict that matches the schema; field errors otherwise (400)."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser goes: no body of ours is
        data = None
    if not isinstance(data, dict):
        raise ApiError(
            400, "invalid_json", _("Send a JSON object with Content-Type: application/json.")
        )
    schema = OPERATIONS[request.endpoint or ""].body
    errors = validate(schema, data) if schema is not None else {}
    if errors:
        raise InvalidInput(errors)
    return {name: _whole(item) for name, item in data.items()}


def query_args() -> dict[str, Any]:
    """The documented query parameters that were given (empty ones count as absent), typed."""
    found: dict[str, Any] = {}
    errors: Errors = {}
    for name, schema in OPERATIONS[request.endpoint or ""].query.items():
        raw = request.args.get(name, "")
        if not raw:
            continue
        value = int(raw) if schema.get("type") == "integer" and _digits(raw) else raw
        problems = validate(schema, value, name)
        errors.update(problems)
        found[name] = value
    if errors:
        raise InvalidInput(errors)
    return found


def _digits(raw: str) -> bool:
    return raw.isascii() and raw.isdigit()  # "²" is a digit to str.isdigit but not to int()


def _whole(value: Any) -> Any:
    """Integral floats (3.0, valid JSON integers) as ints, so ids compare as ids."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_whole(item) for item in value]
    return value
