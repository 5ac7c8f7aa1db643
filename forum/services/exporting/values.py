"""Column values to JSON and back, the same way on every database.

Times are ISO 8601 in UTC with a `Z` and microseconds, enums their stored value, JSON columns
plain JSON, binary base64, exact decimals strings. Decoding follows the column's type.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC
from datetime import date
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Column
from sqlalchemy import Date
from sqlalchemy import DateTime
from sqlalchemy import Enum as EnumType
from sqlalchemy import Float
from sqlalchemy import LargeBinary
from sqlalchemy import Numeric
from sqlalchemy.types import TypeDecorator
from sqlalchemy.types import TypeEngine


def encode(value: Any) -> Any:
    """One value as something json.dumps writes the same way every time."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.isoformat(timespec="microseconds")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _base_type(column: Column[Any]) -> TypeEngine[Any]:
    kind: TypeEngine[Any] = column.type
    while isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    return kind


def decode(column: Column[Any], value: Any) -> Any:
    """A value from the file as the column's Python type expects it."""
    if value is None:
        return None
    kind = _base_type(column)
    if isinstance(kind, EnumType) and value not in kind.enums:
        raise ValueError(f"{value!r} is not one of {', '.join(kind.enums)}")
    if isinstance(kind, DateTime):
        moment = datetime.fromisoformat(value)
        if kind.timezone and moment.tzinfo is None:
            raise ValueError(f"{value!r} has no time zone; Porch times end in Z")
        return moment
    if isinstance(kind, Date):
        return date.fromisoformat(value)
    if isinstance(kind, LargeBinary):
        return base64.b64decode(value)
    if isinstance(kind, Numeric) and not isinstance(kind, Float):
        return Decimal(value)
    return value


def dumps(value: Any) -> str:
    """Compact, key order kept, unicode as is: the same bytes for the same data."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
