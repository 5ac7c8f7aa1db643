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
    "number": (int, float),
    "boolean": (bool,),
    "null": (type(None),),
}


def _wrong_type(name: str) -> str:
    messages: dict[str, str] = {
        "object": _("Must be an object."),
        "array": _("Must be an array."),
        "string": _("Must be a string."),
        "integer": _("Must be an integer."),
        "number": _("Must be a number."),
        "boolean": _("Must be a boolean."),
        "null": _("Must be null."),
    }
    return messages[name]


def _is_type(value: Any, name: str) -> bool:
    if name == "integer" and isinstance(value, float):
        return value.is_integer()  # JSON Schema: 3.0 is an integer
    if name in ("integer", "number") and isinstance(value, bool):
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
        choices = ", ".join(map(str, schema["enum"]))
        return {where: [_("Must be one of: %(choices)s.", choices=choices)]}
    kind = schema.get("type")
    if kind and not _is_type(value, kind):
        return {where: [_wrong_type(kind)]}
    if kind == "object":
        return _object(schema, value, where)
    if kind == "array":
        return _array(schema, value, where)
    if isinstance(value, str) and "\x00" in value:  # PostgreSQL text cannot hold it
        return {where: [_("Must not contain NUL characters.")]}
    if isinstance(value, str) and _SURROGATE.search(value):  # "\ud800" in JSON: not UTF-8
        return {where: [_("Must be valid Unicode text (no unpaired surrogate escapes).")]}
    return _bounds(schema, value, where)


def _bounds(schema: Schema, value: Any, where: str) -> Errors:
    size = len(value) if isinstance(value, (str, list)) else value
    low = schema.get("minLength", schema.get("minimum", schema.get("minItems")))
    high = schema.get("maxLength", schema.get("maximum", schema.get("maxItems")))
    if low is not None and size < low:
        return {where: [_too_small(value, low)]}
    if high is not None and size > high:
        return {where: [_too_large(value, high)]}
    return {}


def _too_small(value: Any, low: int) -> str:
    message: str = _("Must be at least %(n)d.", n=low)
    if isinstance(value, (str, list)) and low == 1:
        message = _("Must not be empty.")
    elif isinstance(value, str):
        message = _("Must be at least %(n)d characters long.", n=low)
    elif isinstance(value, list):
        message = _("Must have at least %(n)d items.", n=low)
    return message


def _too_large(value: Any, high: int) -> str:
    message: str = _("Must be at most %(n)d.", n=high)
    if isinstance(value, str):
        message = _("Must be at most %(n)d characters long.", n=high)
    elif isinstance(value, list):
        message = _("Must have at most %(n)d items.", n=high)
    return message


def _object(schema: Schema, value: dict[str, Any], where: str) -> Errors:
    errors: Errors = {}
    properties = schema.get("properties", {})
    for name in schema.get("required", []):
        if name not in value:
            errors[_join(where, name)] = [_("This field is required.")]
    extra = schema.get("additionalProperties", True)
    names = schema.get("propertyNames", {}).get("pattern")
    if len(value) > schema.get("maxProperties", len(value)):
        errors[where] = [_("Too many entries.")]
    for name, item in value.items():
        if names and not re.fullmatch(names, name):
            errors[_join(where, name)] = [_("Not a valid key.")]
            continue
        if name in properties:
            errors.update(validate(properties[name], item, _join(where, name)))
        elif extra is False:
            errors[_join(where, name)] = [_("Unknown field.")]
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
