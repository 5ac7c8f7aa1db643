"""A small JSON Schema checker for the subset our schemas use: bodies in, answers in tests."""

from __future__ import annotations

import re
from typing import Any

from forum.i18n import _
from forum.web.api.schemas import COMPONENTS

Schema = dict[str, Any]
_SURROGATE = re.compile("[\ud800-\udfff]")
Errors = dict[str, list[str]]

_TYPES: dict[str, tuple[type, ...]] = {
    "object": (dict,),
    "array": (list,),
    "string": (str,),
    "integer": (int,),
    "boolean": (bool,),
    "null": (type(None),),
}


def _is_type(value: Any, name: str) -> bool:
    if name == "integer" and isinstance(value, float):
        return value.is_integer()  # JSON Schema: 3.0 is an integer
    if name == "integer" and isinstance(value, bool):
        return False
    return isinstance(value, _TYPES[name])


def validate(schema: Schema, value: Any, where: str = "") -> Errors:
    """Problems keyed by the field's dotted path ("" for the whole body); empty when valid."""
    if "$ref" in schema:
        return validate(COMPONENTS[schema["$ref"].rsplit("/", 1)[1]], value, where)
    if "anyOf" in schema:
        tries = [validate(option, value, where) for option in schema["anyOf"]]
        return {} if any(not t for t in tries) else tries[0]
    if "enum" in schema and value not in schema["enum"]:
        return {where: [f"Must be one of: {', '.join(map(str, schema['enum']))}."]}
    kind = schema.get("type")
    if kind and not _is_type(value, kind):
        return {where: [f"Must be a{'n' if kind[0] in 'aoi' else ''} {kind}."]}
    if kind == "object":
        return _object(schema, value, where)
    if kind == "array":
        return _array(schema, value, where)
    if isinstance(value, str) and "\x00" in value:  # PostgreSQL text cannot hold it
        return {where: ["Must not contain NUL characters."]}
    if isinstance(value, str) and _SURROGATE.search(value):  # "\ud800" in JSON: not UTF-8
        return {where: [_("Must be valid Unicode text (no unpaired surrogate escapes).")]}
    return _bounds(schema, value, where)


def _bounds(schema: Schema, value: Any, where: str) -> Errors:
    size = len(value) if isinstance(value, (str, list)) else value
    low = schema.get("minLength", schema.get("minimum", schema.get("minItems")))
    high = schema.get("maxLength", schema.get("maximum", schema.get("maxItems")))
    if low is not None and size < low:
        return {where: ["Must not be empty." if low == 1 else f"Must be at least {low}."]}
    if high is not None and size > high:
        return {where: [f"Must be at most {high}{' long' if isinstance(value, str) else ''}."]}
    return {}


def _object(schema: Schema, value: dict[str, Any], where: str) -> Errors:
    errors: Errors = {}
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            errors[_join(where, name)] = ["This field is required."]
    extra = schema.get("additionalProperties", True)
    for name, item in value.items():
        if name in properties:
            errors.update(validate(properties[name], item, _join(where, name)))
        elif extra is False:
            errors[_join(where, name)] = ["Unknown field."]
        elif isinstance(extra, dict):
            errors.update(validate(extra, item, _join(where, name)))
    return errors


def _array(schema: Schema, value: list[Any], where: str) -> Errors:
    errors = _bounds(schema, value, where)
    for index, item in enumerate(value):
        errors.update(validate(schema.get("items", {}), item, _join(where, str(index))))
    return errors


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name
