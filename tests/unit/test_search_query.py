"""Parsing what a reader typed into terms, and marking snippets safely."""

from __future__ import annotations

import pytest

from forum.services.search.query import MAX_TERMS
from forum.services.search.query import Term
from forum.services.search.query import fts5_query
from forum.services.search.query import parse
from forum.web.search.presenters import marked


@pytest.mark.parametrize(
    ("typed", "terms"),
    [
        ("taper", [Term(("taper",))]),
        ("Taper*", [Term(("taper",), prefix=True)]),
        ('"wobbly weeks" taper', [Term(("wobbly", "weeks")), Term(("taper",))]),
        ("-spam eggs", [Term(("spam",), negated=True), Term(("eggs",))]),
        ("e-mail", [Term(("e", "mail"))]),
        ('"unclosed phrase', [Term(("unclosed", "phrase"))]),
        ("NEAR(a, b)", [Term(("near", "a")), Term(("b",))]),
        ('" * - ( ) :', []),
        ("taper taper", [Term(("taper",))]),
        ("日本語 café", [Term(("日本語",)), Term(("café",))]),
    ],
)
def test_parse_typed_query_gives_terms(typed: str, terms: list[Term]) -> None:
    assert list(parse(typed).terms) == terms


def test_parse_long_query_keeps_a_bounded_number_of_terms() -> None:
    assert len(parse(" ".join(f"w{n}" for n in range(500))).terms) == MAX_TERMS


def test_parse_only_exclusions_is_empty() -> None:
    assert parse("-taper").is_empty and parse("").is_empty and not parse("taper").is_empty


def test_fts5_query_quotes_every_word_so_operators_stay_words() -> None:
    query = fts5_query(parse('NOT taper* "wobbly weeks" -OR'))
    assert query == '"not" AND "taper"* AND "wobbly weeks" NOT "or"'


def test_marked_escapes_user_text_and_marks_only_the_engine_markers() -> None:
    html = marked('<script>x</script> \x01taper\x02 & "more"')
    assert html == "&lt;script&gt;x&lt;/script&gt; <mark>taper</mark> &amp; &#34;more&#34;"


def test_marked_unbalanced_markers_leave_no_open_mark() -> None:
    assert "<mark>" not in marked("\x01taper")
