"""The shipped catalogues are complete and well formed, and plural forms follow each language."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from flask import Flask

from forum import i18n_build
from forum.i18n import in_language
from forum.i18n import ngettext

SHIPPED = ("de", "fr", "es")
TRANSLATIONS = i18n_build.TRANSLATIONS


def _catalog(language: str) -> Catalog:
    with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source, locale=language)


def _template() -> Catalog:
    with i18n_build.TEMPLATE.open("rb") as source:
        return read_po(source)


def _ids(catalog: Catalog) -> set[tuple[str, str | None]]:
    return {(m.id if isinstance(m.id, str) else m.id[0], m.context) for m in catalog if m.id}


@pytest.mark.parametrize("language", SHIPPED)
def test_every_message_is_translated_and_none_is_fuzzy(language: str) -> None:
    catalog = _catalog(language)
    assert not catalog.fuzzy
    missing = [
        message.id
        for message in catalog
        if message.id
        and (message.fuzzy or not all(message.string if message.pluralizable else [message.string]))
    ]
    assert missing == [], f"{language}: {len(missing)} untranslated or fuzzy: {missing[:10]}"


@pytest.mark.parametrize("language", SHIPPED)
def test_catalogue_holds_every_extracted_message(language: str) -> None:
    """`make i18n` was run after the last string was wrapped: nothing waits outside."""
    assert _ids(_template()) - _ids(_catalog(language)) == set()


@pytest.mark.parametrize("language", SHIPPED)
def test_translations_keep_their_placeholders(language: str) -> None:
    problems = [(message.id, errors) for message, errors in _catalog(language).check()]
    assert problems == []


PLURALS = {
    # language: count → "%(num)s reply" form
    "en": {0: "0 replies", 1: "1 reply", 2: "2 replies", 5: "5 replies", 22: "22 replies"},
    "de": {
        0: "0 Antworten",
        1: "1 Antwort",
        2: "2 Antworten",
        5: "5 Antworten",
        22: "22 Antworten",
    },
    "fr": {0: "0 réponse", 1: "1 réponse", 2: "2 réponses", 5: "5 réponses", 22: "22 réponses"},
    "es": {
        0: "0 respuestas",
        1: "1 respuesta",
        2: "2 respuestas",
        5: "5 respuestas",
        22: "22 respuestas",
    },
}


@pytest.mark.parametrize("language", sorted(PLURALS))
def test_plural_forms_for_0_1_2_5_and_22(app: Flask, language: str) -> None:
    with app.test_request_context(), in_language(language):
        shown = {n: ngettext("%(num)s reply", "%(num)s replies", n) for n in PLURALS[language]}
    assert shown == PLURALS[language]


def test_french_and_spanish_millions_take_their_own_form(app: Flask) -> None:
    with app.test_request_context():
        with in_language("fr"):
            assert ngettext("%(num)s reply", "%(num)s replies", 1_000_000) == "1000000 de réponses"
        with in_language("es"):
            assert ngettext("%(num)s reply", "%(num)s replies", 2_000_000) == (
                "2000000 de respuestas"
            )


def test_rtl_pseudo_locale_has_all_six_arabic_forms(app: Flask) -> None:
    catalog = _catalog("ar")
    assert catalog.num_plurals == 6
    with app.test_request_context(), in_language("ar"):
        for n in (0, 1, 2, 5, 22):
            form = "reply" if n == 1 else "replies"
            shown = ngettext("%(num)s reply", "%(num)s replies", n)
            assert shown == f"\u200f⟦{n} {form}⟧\u200f"


@pytest.mark.parametrize("language", SHIPPED)
def test_javascript_catalogue_has_the_scripts_strings_with_cldr_plural_keys(language: str) -> None:
    i18n_build.compile_catalogues()
    path = Path(i18n_build.JS_CATALOGUES) / f"{language}.json"
    catalogue = json.loads(path.read_text())
    messages = catalogue["messages"]
    assert catalogue["locale"] == language
    assert messages["Leave a reply"] and messages["Leave a reply"] != "Leave a reply"
    forms = messages["%(num)s reply"]
    assert set(forms) >= {"one", "other"}
    assert "Skip to content" not in messages  # templates' strings stay on the server
    if language in ("fr", "es"):
        assert "de " in forms["many"]  # 1 000 000 de réponses / de respuestas


def test_messages_pot_holds_every_wrapped_string(tmp_path: Path) -> None:
    """Extracting again (as `make i18n` does) finds nothing the catalogue lacks: a newly
    wrapped string fails here until `make i18n` is run and it is translated."""
    from babel.messages.frontend import CommandLineInterface

    fresh = tmp_path / "messages.pot"
    root = i18n_build.ROOT
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(root / "babel.cfg"), "-k", "lazy_gettext"]
        + ["-k", "lazy_ngettext:1,2", "--ignore-dirs=.* __pycache__", "-o", str(fresh), str(root)]
    )
    with fresh.open("rb") as source:
        extracted = _ids(read_po(source))
    assert extracted - _ids(_template()) == set(), "run `make i18n` and translate the new strings"
