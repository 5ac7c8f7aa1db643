"""HTML sanitiser and linkifier; the only bleach importer, so the whole markup policy is here."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from functools import partial
from typing import Any
from urllib.parse import urlsplit

import bleach
from bleach.html5lib_shim import Filter  # type: ignore[attr-defined]  # re-exported, unstubbed
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS: frozenset[str] = frozenset(
    {"p", "br", "a", "strong", "b", "em", "i", "del", "s"}
    | {"code", "pre", "blockquote", "ul", "ol", "li"}
)
ALLOWED_ATTRIBUTES: dict[str, list[str]] = {"a": ["href", "title", "rel"]}
ALLOWED_PROTOCOLS: frozenset[str] = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# Elements removed together with their contents: their text is code or embedding, never prose.
DROPPED_ELEMENTS: frozenset[str] = frozenset(
    {"script", "style", "iframe", "object", "embed", "template", "noscript"}
)

_HREF = (None, "href")
_TITLE = (None, "title")
_REL = (None, "rel")
# Same normalisation bleach applies before its protocol check: entities decoded separately.
_URI_JUNK = re.compile(r"[`\x00-\x20\x7f-\xa0\s]+|[^\x00-\x7f]")

Attrs = dict[Any, str]
Token = dict[str, Any]


class DropElementsFilter(Filter):  # type: ignore[misc]
    """html5lib filter removing DROPPED_ELEMENTS with their contents, so script text never leaks."""

    def __iter__(self) -> Iterator[Token]:
        """Yield tokens outside dropped elements; the tree walker guarantees balanced tags."""
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            dropped = token.get("name") in DROPPED_ELEMENTS
            if kind == "StartTag" and dropped:
                depth += 1
            elif kind == "EndTag" and dropped:
                depth = max(depth - 1, 0)
            elif depth == 0 and not (kind == "EmptyTag" and dropped):
                yield token


def is_allowed_href(href: str) -> bool:
    """Accept only absolute http(s) URLs with a host, or mailto:; relative links are refused."""
    normalized = _URI_JUNK.sub("", html.unescape(href)).lower()
    try:
        parts = urlsplit(normalized)
    except ValueError:
        return False
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc)
    return parts.scheme == "mailto" and bool(parts.path)


def set_link_policy(attrs: Attrs, new: bool = False) -> Attrs | None:
    """Linkify callback: unlink bad hrefs, keep only href/title, force our rel on every link."""
    href = attrs.get(_HREF)
    if href is None or not is_allowed_href(href):
        return None
    kept: Attrs = {_HREF: href}
    if _TITLE in attrs:
        kept[_TITLE] = attrs[_TITLE]
    kept[_REL] = LINK_REL
    kept["_text"] = attrs.get("_text", "")
    return kept


# Dropped elements are "allowed" to the parser so their contents parse as raw text, then go whole.
# Linkifying as a Cleaner filter (one pass) avoids bleach.Linker re-escaping entities in skip_tags.
_CLEANER = bleach.Cleaner(
    tags=ALLOWED_TAGS | DROPPED_ELEMENTS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        DropElementsFilter,
        partial(
            LinkifyFilter,
            callbacks=[set_link_policy],  # type: ignore[list-item]  # None unlinks; stub omits it
            skip_tags={"pre", "code"},
            parse_email=False,
        ),
    ],
)


def clean(markup: str) -> str:
    """Reduce untrusted HTML to the allowed subset and linkify bare URLs; safe to emit as-is."""
    return str(_CLEANER.clean(markup))


def plain_text(markup: str) -> str:
    """The visible text of HTML, unescaped, for excerpts and titles; never emit it as markup."""
    without_code = _CLEANER.clean(markup)  # drops script/style contents first
    return html.unescape(str(bleach.clean(without_code, tags=set(), strip=True)))
