"""Web addresses of posts and categories: made from a title, checked when typed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from forum.i18n import lazy_gettext
from forum.i18n import ngettext

SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
SLUG_HELP = lazy_gettext(
    "Use lower-case letters, digits and single hyphens, such as “my-first-post”."
)


def slugify(text: str, max_length: int, fallback: str) -> str:
    """ "Café: Part 2!" -> "cafe-part-2"; `fallback` when nothing is left."""
    text = re.sub(r"['’]", "", text)  # "week's" -> "weeks", not "week-s"
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or fallback


def slug_problem(slug: str, max_length: int) -> str | None:
    """What is wrong with a slug someone typed, or None."""
    if len(slug) > max_length:
        return at_most(max_length)
    if not SLUG_PATTERN.fullmatch(slug):
        return str(SLUG_HELP)
    return None


def at_most(max_length: int) -> str:
    """The error for a text longer than a field allows."""
    return ngettext("Use at most %(num)d character.", "Use at most %(num)d characters.", max_length)


def first_free(base: str, max_length: int, taken: Callable[[str], bool]) -> str:
    """`base`, or `base-2`, `base-3`... the first one nothing else uses."""
    candidate, number = base, 1
    while taken(candidate):
        number += 1
        suffix = f"-{number}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate
