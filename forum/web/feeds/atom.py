"""Atom (RFC 4287) documents built with ElementTree, so every value is escaped by the writer."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET  # nosec B405  # writes XML, parses none
from dataclasses import dataclass
from datetime import UTC
from datetime import datetime

ATOM = "http://www.w3.org/2005/Atom"
# XML 1.0 forbids most control characters; stored text could still hold one.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True)
class Entry:
    title: str
    url: str
    author: str
    published: datetime
    updated: datetime
    html: str  # sanitised on write; sent escaped as type="html"
    category: str | None = None


@dataclass(frozen=True)
class Feed:
    title: str
    self_url: str
    page_url: str
    entries: list[Entry]
    fallback_updated: datetime  # for a feed with no entries yet

    @property
    def updated(self) -> datetime:
        return max((entry.updated for entry in self.entries), default=self.fallback_updated)

    @property
    def etag(self) -> str:
        """Changes whenever an entry appears, goes, or is edited (or the feed is renamed)."""
        parts = [self.title] + [f"{e.url}|{e.updated.isoformat()}" for e in self.entries]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _add(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, tag, attrs)
    if text is not None:
        element.text = _NOT_XML.sub("", text)
    return element


def _entry(feed: ET.Element, entry: Entry) -> None:
    node = _add(feed, "entry")
    _add(node, "title", entry.title, type="text")
    _add(node, "id", entry.url)
    _add(node, "link", rel="alternate", type="text/html", href=entry.url)
    _add(node, "published", _stamp(entry.published))
    _add(node, "updated", _stamp(entry.updated))
    _add(_add(node, "author"), "name", entry.author)
    if entry.category:
        _add(node, "category", term=entry.category)
    _add(node, "content", entry.html, type="html")


def render(feed: Feed, site_name: str) -> bytes:
    """The feed document as UTF-8 bytes with an XML declaration."""
    root = ET.Element("feed", {"xmlns": ATOM})
    _add(root, "title", feed.title, type="text")
    _add(root, "id", feed.self_url)
    _add(root, "updated", _stamp(feed.updated))
    _add(root, "link", rel="self", type="application/atom+xml", href=feed.self_url)
    _add(root, "link", rel="alternate", type="text/html", href=feed.page_url)
    _add(_add(root, "author"), "name", site_name)
    _add(root, "generator", "Porch")
    for entry in feed.entries:
        _entry(root, entry)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
