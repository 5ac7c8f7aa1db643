"""Reply HTML as plain text, for quotes in the moderation queue."""

from __future__ import annotations

import pytest

from forum.text.plain import excerpt
from forum.text.plain import plain_text
from forum.text.render import render


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("I felt *weirdly* calm", "I felt weirdly calm"),
        ("**bold** and `code` and ~~gone~~", "bold and code and gone"),
        ("one\n\ntwo\nthree", "one two three"),
        ("> quoted\n\nanswer", "quoted answer"),
        ("- a\n- b", "a b"),
        ("[site](https://example.org) &amp; 1 < 2", "site & 1 < 2"),
        ("<script>alert(1)</script>hi", "hi"),
    ],
)
def test_plain_text_of_rendered_markdown_drops_the_markup(source: str, expected: str) -> None:
    assert plain_text(render(source)) == expected


def test_excerpt_of_long_text_is_cut_at_a_word_with_an_ellipsis() -> None:
    text = excerpt(render("word " * 50), limit=23)
    assert text == "word word word word…" and len(text) <= 23
    assert excerpt(render("short *one*"), limit=23) == "short one"
