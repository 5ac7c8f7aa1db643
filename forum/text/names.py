"""Display names as people see them: invisible characters removed, and confusable skeletons.

`clean_name` strips the bidirectional controls (which can flip how a name and the text after it
read) and zero-width characters (which make two names look the same but differ), then
normalises to NFC. `skeleton` follows UTS #39: two names with the same skeleton look alike.
confusable-homoglyphs ships Unicode's confusables as per-character alternatives, so the
prototype of each character is chosen here: the set of characters confusable with one another
(case folded in) is represented by its ASCII letter or digit when it has one.
"""

from __future__ import annotations

import json
import re
import unicodedata
from functools import cache
from importlib import resources

# Bidi embeddings/overrides (U+202A-E), isolates (U+2066-9), marks (U+200E/F, U+061C), and
# zero-width space/joiners, word joiner and BOM (U+200B-D, U+2060, U+FEFF).
_INVISIBLE = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u200b-\u200d\u2060\ufeff]")
_SPACE = re.compile(r"\s+")


def clean_name(raw: str) -> str:
    """The name with invisible and direction-changing characters removed, NFC, trimmed."""
    return unicodedata.normalize("NFC", _INVISIBLE.sub("", raw)).strip()


def skeleton(name: str) -> str:
    """A key equal for names that look alike ("Admin", "Adrnin", "Аdmin" with Cyrillic А)."""
    prototypes = _prototypes()
    once = "".join(prototypes.get(char, char) for char in _comparable(name)).casefold()
    return "".join(prototypes.get(char, char) for char in once)


def skeletons(name: str) -> frozenset[str]:
    """The skeleton, and the one of the case-folded name: "ADMIN" (whose I looks like l) too."""
    prototypes = _prototypes()
    folded = "".join(prototypes.get(char, char) for char in _comparable(name).casefold())
    return frozenset({skeleton(name), folded})


def _comparable(name: str) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", clean_name(name)))


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character's prototype (UTS #39), read once from the shipped data.

    In the data a prototype lists all its look-alikes, and a look-alike lists its prototype
    alone: a character with one alternative that is not its own prototype maps to it.
    """
    source = resources.files("confusable_homoglyphs").joinpath("confusables.json")
    data: dict[str, list[dict[str, str]]] = json.loads(source.read_text(encoding="utf-8"))
    lists = {_INVISIBLE.sub("", key): entries for key, entries in data.items()}
    prototypes = {}
    for char, entries in lists.items():
        if len(char) != 1 or len(entries) != 1:
            continue
        target = _INVISIBLE.sub("", entries[0]["c"])
        back = lists.get(target, [])
        if len(back) > 1 or not back or _prefer(target, char):
            prototypes[char] = target
    return prototypes


def _prefer(target: str, char: str) -> bool:
    """Between two characters that only list each other: the ASCII one, else the lower one."""
    return (not target.isascii(), target) < (not char.isascii(), char)
