"""Spam features from the shape of a text: character n-grams, markup density and language.

Pure functions. Character n-grams catch words spelled wrong on purpose ("v1agra", "ch3ap"):
the misspelling still shares most of its 4-grams with the word moderators marked before.
They are hashed into a fixed number of buckets, so the token table stays bounded.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator

GRAM = 4
GRAM_BUCKETS = 1 << 20
MAX_GRAMS = 160  # distinct n-grams kept from one text: bounds the token query
GRAM_WORD_RE = re.compile(r"[^\s<>()\[\]{}\"'`,.;:!?]+")
MARKUP_RE = re.compile(r"</?[a-z][^>]*>|\[[^\]]*\]\([^)]*\)|\*\*|__|^#+\s", re.I | re.M)
CYRILLIC_RE = re.compile(r"[\u0400-\u04ff]")
CJK_RE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
LATIN_WORD_RE = re.compile(r"[a-zà-öø-ÿ]+")
STOPWORDS_BY_LANGUAGE = {
    "en": frozenset("the and is it you that was for with have this not but are my i".split()),
    "de": frozenset("und der die das ist nicht ich mit sie ein eine auch auf für".split()),
    "fr": frozenset("le la les et est une des pas je pour que qui dans avec vous".split()),
    "es": frozenset("el la los las y es una por que con para del se muy pero".split()),
    "nl": frozenset("de het een en is niet ik met voor op zijn dat van ook".split()),
    "it": frozenset("il che di non per una sono con della gli anche ma come".split()),
    "pt": frozenset("o os que não uma com para por mais mas como ao você".split()),
}


def char_grams(text: str) -> Iterator[str]:
    """Hashed 4-grams of each word, padded so word starts and ends count, capped at MAX_GRAMS."""
    seen: set[str] = set()
    for word in GRAM_WORD_RE.findall(text.lower()):
        if len(word) > 30 or word.startswith(("http", "www")):
            continue
        padded = f"<{word}>"
        for start in range(max(1, len(padded) - GRAM + 1)):
            token = f"g:{zlib.crc32(padded[start : start + GRAM].encode()) % GRAM_BUCKETS:05x}"
            if token not in seen:
                seen.add(token)
                yield token
                if len(seen) >= MAX_GRAMS:
                    return


def markup_density(text: str, link_count: int) -> str:
    """Tags, Markdown links and emphasis per 100 characters, as a bucket token."""
    marks = len(MARKUP_RE.findall(text)) + link_count
    if marks == 0:
        return "markup:none"
    per_hundred = 100 * marks / max(len(text), 1)
    return "markup:heavy" if per_hundred >= 1.5 else "markup:some"


def language(text: str) -> str:
    """A guess at the text's language from its script and stop words; "unknown" if unsure."""
    if len(CYRILLIC_RE.findall(text)) >= 5:
        return "cyrillic"
    if len(CJK_RE.findall(text)) >= 3:
        return "cjk"
    words = LATIN_WORD_RE.findall(text.lower())
    hits = {
        name: sum(word in stop for word in words) for name, stop in STOPWORDS_BY_LANGUAGE.items()
    }
    best = max(hits, key=lambda name: hits[name])
    return best if hits[best] >= 2 else "unknown"
