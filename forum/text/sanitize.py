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


# A guest's website, shown as the href of their name: http(s) with a host, no spaces or controls.
_WEB_ADDRESS = re.compile(r"https?://[^\s/?#.]+(\.[^\s/?#.]+)*(:\d+)?([/?#]\S*)?", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def is_web_address(url: str) -> bool:
    """Whether a guest's website may become a link: an absolute http(s) address, nothing else
    (never javascript:, data: or a relative path), checked wherever one is stored."""
    return bool(_WEB_ADDRESS.fullmatch(url)) and not _CONTROL.search(url)


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


# Paragraphs of plain words: the only tags are bare <p>, </p> and <br>; the text has no <, > or &
# (so no other markup or entity), and no ':', '/', '@' nor a '.' before a letter or digit (so
# nothing the linkifier could take for an address). The Cleaner returns such input unchanged
# (tests/unit/test_sanitize_fast_path.py compares both on a corpus), so it is returned as is.
_PLAIN_TEXT = r"(?:[^\W_]|[ ,;!?'\"()\-…‘’“”–—]|\.(?![^\W_]))*"
_PLAIN_LINE = rf"{_PLAIN_TEXT}(?:<br>\n?{_PLAIN_TEXT})*"
_PLAIN_PARAGRAPHS = re.compile(rf"(?:<p>{_PLAIN_LINE}</p>\n?)+")


def clean(markup: str) -> str:
    """Reduce untrusted HTML to the allowed subset and linkify bare URLs; safe to emit as-is."""
    if _PLAIN_PARAGRAPHS.fullmatch(markup):
        return markup
    return _settled(_CLEANER, markup)


def _settled(cleaner: bleach.Cleaner, markup: str) -> str:
    """Clean until cleaning changes nothing, so stored HTML is stable when cleaned again.

    One pass can leave work for the next: the text of a link it dropped is linkified only
    then, and an ampersand it escaped may be unescaped. Two more passes settle every case
    tests/security/test_sanitiser_properties.py has found.
    """
    cleaned = str(cleaner.clean(markup))
    for _ in range(2):
        again = str(cleaner.clean(cleaned))
        if again == cleaned:
            break
        cleaned = again
    return cleaned


# Articles, written by the site's authors, also get headings, https images and tables.
ARTICLE_TAGS: frozenset[str] = ALLOWED_TAGS | frozenset(
    {"h1", "h2", "h3", "h4", "h5", "h6", "hr", "img", "sup", "sub"}
    | {"table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td"}
)
ARTICLE_ATTRIBUTES: dict[str, list[str]] = {
    **ALLOWED_ATTRIBUTES,
    "img": ["src", "alt", "title"],
    "th": ["colspan", "rowspan", "scope"],
    "td": ["colspan", "rowspan"],
}
ARTICLE_LINK_REL = "noopener"
_SRC = (None, "src")


def is_allowed_image(src: str) -> bool:
    """Images load from https hosts only: no http (mixed content), data:, or relative paths."""
    normalized = _URI_JUNK.sub("", html.unescape(src)).lower()
    try:
        parts = urlsplit(normalized)
    except ValueError:
        return False
    return parts.scheme == "https" and bool(parts.netloc)


class HttpsImagesFilter(Filter):  # type: ignore[misc]
    """Drop every <img> whose src is missing or not https, rather than keep a broken image."""

    def __iter__(self) -> Iterator[Token]:
        for token in super().__iter__():
            if token.get("name") == "img" and token["type"] in ("EmptyTag", "StartTag"):
                src = token.get("data", {}).get(_SRC)
                if src is None or not is_allowed_image(src):
                    continue
            yield token


def set_article_link_policy(attrs: Attrs, new: bool = False) -> Attrs | None:
    """The reply link policy, with the author's own rel: their links are not user content."""
    kept = set_link_policy(attrs, new)
    if kept is not None:
        kept[_REL] = ARTICLE_LINK_REL
    return kept


_ARTICLE_CLEANER = bleach.Cleaner(
    tags=ARTICLE_TAGS | DROPPED_ELEMENTS,
    attributes=ARTICLE_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
    filters=[
        DropElementsFilter,
        HttpsImagesFilter,
        partial(
            LinkifyFilter,
            callbacks=[set_article_link_policy],  # type: ignore[list-item]  # as above
            skip_tags={"pre", "code"},
            parse_email=False,
        ),
    ],
)


def clean_article(markup: str) -> str:
    """Sanitise an article body with the richer article allow-list; safe to emit as-is."""
    return _settled(_ARTICLE_CLEANER, markup)
