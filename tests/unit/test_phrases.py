"""Phrases: stored in English for logs and exports, shown in the reader's language."""

from __future__ import annotations

from io import BytesIO

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import Translations

from forum import phrases
from forum.phrases import N_
from forum.phrases import english
from forum.phrases import phrase
from forum.phrases import plural_phrase
from forum.phrases import shown


def _german(messages: dict[str, str]) -> Translations:
    catalog = Catalog(locale="de")
    for msgid, msgstr in messages.items():
        catalog.add(msgid, msgstr)
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch) -> None:
    translations = _german(
        {
            "spam score %(score).2f; most weight: %(reasons)s": (
                "Spam-Wert %(score).2f; am stärksten gewichtet: %(reasons)s"
            ),
            "%(reason)s (→ spam)": "%(reason)s (→ Spam)",
            "mentions money": "erwähnt Geld",
            "%(num)d link ≥ %(limit)d": "%(num)d Link ≥ %(limit)d",
            "%(num)d links ≥ %(limit)d": "%(num)d Links ≥ %(limit)d",
            "blocked email %(email)s": "gesperrte E-Mail-Adresse %(mail)s",  # a broken one
        }
    )
    monkeypatch.setattr(phrases, "get_translations", lambda: translations)


def _score() -> phrases.Phrase:
    reasons = [phrase(N_("%(reason)s (→ spam)"), reason=phrase(N_("mentions money")))]
    return phrase(
        N_("spam score %(score).2f; most weight: %(reasons)s"), score=0.934, reasons=reasons
    )


def test_the_stored_english_reads_as_before(german: None) -> None:
    assert english(_score()) == "spam score 0.93; most weight: mentions money (→ spam)"


def test_a_moderator_reads_it_in_their_language_down_to_the_nested_reasons(german: None) -> None:
    assert shown(_score()) == "Spam-Wert 0.93; am stärksten gewichtet: erwähnt Geld (→ Spam)"


def test_a_count_picks_its_form(german: None) -> None:
    links = [N_("%(num)d link ≥ %(limit)d"), N_("%(num)d links ≥ %(limit)d")]
    assert shown(plural_phrase(*links, 1, limit=1)) == "1 Link ≥ 1"
    assert shown(plural_phrase(*links, 3, limit=2)) == "3 Links ≥ 2"
    assert english(plural_phrase(*links, 3, limit=2)) == "3 links ≥ 2"


def test_a_broken_translation_falls_back_to_english(german: None) -> None:
    blocked = phrase(N_("blocked email %(email)s"), email="a@example.org")
    assert shown(blocked) == "blocked email a@example.org"


def test_text_without_a_phrase_and_unknown_messages_show_as_they_are(german: None) -> None:
    assert shown("an old English detail") == "an old English detail"
    assert shown(phrase("not in any catalogue: %(n)s", n=2)) == "not in any catalogue: 2"
