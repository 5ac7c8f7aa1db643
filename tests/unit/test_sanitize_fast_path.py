"""The sanitiser's fast path for plain paragraphs returns exactly what the full Cleaner would."""

from __future__ import annotations

import random

import pytest

from forum.text import sanitize
from forum.text.sanitize import clean

# Letters of several scripts, digits, the punctuation the fast path accepts, and characters
# that must send a text to the full Cleaner (markup, entities, address-like pieces).
_PLAIN = list("abcXYZ019 ,;!?'\"()-.…‘’“”–—") + list("éßж中文ك٣")
_OTHER = list("<>&:/@_#=\t\xa0\u200b\u0301") + ["<br>", "<br>\n", "example.com", "www.x.org"]
_OTHER += ["a.b", "3.14", "e.g.", "&amp;", "https://x.y", "<b>", "</p><p>", "x@y.z"]


def _paragraphs(rng: random.Random) -> str:
    """A few <p> blocks of random text, joined as autop and Markdown join them."""
    blocks = []
    for _ in range(rng.randrange(1, 4)):
        parts = [
            rng.choice(_OTHER) if rng.random() < 0.02 else rng.choice(_PLAIN)
            for _ in range(rng.randrange(0, 40))
        ]
        blocks.append("<p>" + "".join(parts) + "</p>")
    return "\n".join(blocks) + rng.choice(["", "\n"])


def test_clean_fast_path_output_matches_the_full_cleaner_on_random_paragraphs() -> None:
    rng = random.Random(8)
    fast = 0
    for _ in range(20_000):
        markup = _paragraphs(rng)
        if sanitize._PLAIN_PARAGRAPHS.fullmatch(markup):
            fast += 1
            assert str(sanitize._CLEANER.clean(markup)) == markup, markup
    assert fast > 1_000  # the corpus really exercised the fast path


@pytest.mark.parametrize(
    "markup",
    [
        "<p>see example.com today</p>",
        "<p>mail me@example.org</p>",
        "<p>https://example.org</p>",
        "<p>a &amp; b</p>",
        "<p>x</p><script>alert(1)</script>",
        '<p class="x">hi</p>',
        "<p>1 < 2</p>",
        "<p>unclosed",
    ],
)
def test_clean_markup_with_links_entities_or_other_tags_goes_through_the_cleaner(
    markup: str,
) -> None:
    assert not sanitize._PLAIN_PARAGRAPHS.fullmatch(markup)
    assert clean(markup) == str(sanitize._CLEANER.clean(markup))


def test_clean_plain_paragraphs_come_back_unchanged() -> None:
    markup = "<p>Thanks, it helped (a lot)!<br>\nSlowly… étape 3.</p>\n<p>Жду.</p>\n"
    assert clean(markup) == markup
