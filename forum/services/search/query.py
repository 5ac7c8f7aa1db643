"""What a reader typed, parsed once into terms that each engine can quote safely.

Both engines get the same meaning: words are ANDed, `"quoted words"` is a phrase, `word*` a
prefix, `-word` excludes. Everything else (operators, brackets, `NEAR(`) is only punctuation,
so no input can reach an engine's query syntax unquoted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TERMS = 12
MAX_PHRASE_WORDS = 8
MAX_WORD_LENGTH = 60
_TOKEN = re.compile(r'(-?)"([^"]*)"?|(-?)(\S+)')
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    prefix: bool = False
    negated: bool = False


@dataclass(frozen=True)
class ParsedQuery:
    terms: tuple[Term, ...]

    @property
    def positive(self) -> list[Term]:
        return [term for term in self.terms if not term.negated]

    @property
    def negative(self) -> list[Term]:
        return [term for term in self.terms if term.negated]

    @property
    def is_empty(self) -> bool:
        """Nothing to look for: only punctuation, or only exclusions."""
        return not self.positive


def _words(text: str) -> tuple[str, ...]:
    found = (word.lower()[:MAX_WORD_LENGTH] for word in _WORD.findall(text))
    return tuple(found)[:MAX_PHRASE_WORDS]


def _term(match: re.Match[str]) -> Term | None:
    quoted_minus, phrase, bare_minus, bare = match.groups()
    if phrase is not None:
        words = _words(phrase)
        return Term(words, negated=bool(quoted_minus)) if words else None
    words = _words(bare)
    if not words:
        return None
    # "taper*" is a prefix; "e-mail" or "don't" are phrases of their parts.
    prefix = len(words) == 1 and bare.endswith("*")
    return Term(words, prefix=prefix, negated=bool(bare_minus))


def parse(text: str) -> ParsedQuery:
    """The terms of a query, at most MAX_TERMS of them, duplicates dropped."""
    terms: list[Term] = []
    for match in _TOKEN.finditer(text):
        term = _term(match)
        if term is not None and term not in terms:
            terms.append(term)
    return ParsedQuery(tuple(terms[:MAX_TERMS]))


def fts5_query(parsed: ParsedQuery) -> str:
    """An FTS5 MATCH string: every word double-quoted, so it is never an operator."""

    def quoted(term: Term) -> str:
        return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")

    positive = " AND ".join(quoted(term) for term in parsed.positive)
    return positive + "".join(f" NOT {quoted(term)}" for term in parsed.negative)
