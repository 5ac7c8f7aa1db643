"""Streaming XML: yield whole elements of interest one at a time, then drop them from memory."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # nosec B405  # expat >= 2.4 is safe here, see elements()
from collections.abc import Iterator
from datetime import UTC
from datetime import datetime
from functools import cache
from pathlib import Path

from forum.services.importing.records import ImportFileError

_PREFIXES = (
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$"), "excerpt"),
    (re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$"), "wp"),
    (re.compile(r"^http://purl\.org/rss/1\.0/modules/content/$"), "content"),
    (re.compile(r"^http://purl\.org/dc/elements/1\.1/$"), "dc"),
    (re.compile(r"^http://disqus\.com/disqus-internals$"), "dsq"),
    (re.compile(r"^http://disqus\.com$"), ""),
)


@cache  # a file has few distinct tags, each seen many times
def name(tag: str) -> str:
    """`{namespace}local` as `prefix:local` (wp:, content:...): http and https namespaces match."""
    if not tag.startswith("{"):
        return tag
    namespace, local = tag[1:].split("}", 1)
    for pattern, prefix in _PREFIXES:
        if pattern.match(namespace):
            return f"{prefix}:{local}" if prefix else local
    return f"{namespace}:{local}"


def elements(path: Path, wanted: frozenset[str], depth: int) -> Iterator[tuple[str, ET.Element]]:
    """Yield (name, element) for wanted elements at `depth` below the root, freed afterwards.

    The root's name is yielded first with the bare root element, so readers can check the kind.
    """
    stack: list[ET.Element] = []
    try:
        # Safe without defusedxml: ElementTree never fetches external entities or DTDs, and
        # expat 2.4+ (Python 3.11 ships 2.5) stops entity expansion bombs (billion laughs).
        for event, element in ET.iterparse(path, events=("start", "end")):  # nosec B314
            if event == "start":
                if not stack:
                    yield f"root:{name(element.tag)}", element
                stack.append(element)
                continue
            stack.pop()
            if len(stack) == depth and name(element.tag) in wanted:
                yield name(element.tag), element
            if len(stack) == depth:
                element.clear()
                stack[-1].remove(element)
    except ET.ParseError as error:
        line = error.position[0] if error.position else None
        raise ImportFileError(_reason(str(error)), line) from error


def _reason(message: str) -> str:
    """Expat's message without its own ': line N, column M' suffix (we say the line first)."""
    return re.sub(r": line \d+, column \d+$", "", message)


def text(element: ET.Element, child: str) -> str:
    """The text of the first child named `child` (prefix:local), or ''."""
    for item in element:
        if name(item.tag) == child:
            return (item.text or "").strip() if child != "content:encoded" else item.text or ""
    return ""


def children(element: ET.Element, child: str) -> list[ET.Element]:
    return [item for item in element if name(item.tag) == child]


def parse_datetime(*candidates: str) -> datetime | None:
    """The first readable date among WordPress ('Y-m-d H:i:s', GMT) and ISO 8601 forms, as UTC."""
    for value in candidates:
        value = value.strip()
        if not value or value.startswith("0000-00-00"):
            continue
        parsed = _iso(value) or _rfc822(value)
        if parsed is None:
            continue
        return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
    return None


def _iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


def _rfc822(value: str) -> datetime | None:
    from email.utils import parsedate_to_datetime

    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
