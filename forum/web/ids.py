"""Record ids from URLs and forms: digits within the database's 64-bit integer range.

A longer number cannot name a row, and passing it on would overflow the database driver.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**63 - 1


def parse_id(raw: Any) -> int | None:
    """The id in `raw`, or None when it is not a whole number a row could have."""
    text = str(raw or "")
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if number <= MAX_ID else None


class IdConverter(IntegerConverter):
    """`<int:...>` in routes: numbers past MAX_ID do not match, so they get a 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
