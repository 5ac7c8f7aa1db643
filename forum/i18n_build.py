"""Build steps behind `make i18n` and `make translations` (run as `python -m forum.i18n_build`).

- `pseudo`: writes the right-to-left pseudo-locale's catalogue from messages.pot: every string
  is the English one between marks, so pages in it show which text went through gettext, and
  the layout mirrors as it would for Arabic or Hebrew.
- `compile`: each catalogue's .mo (for gettext) and static/i18n/<locale>.json (the strings
  the JavaScript in static/js uses, with plural forms keyed by CLDR category so the browser's
  Intl.PluralRules picks the form: no plural expression evaluated in the page).
"""

from __future__ import annotations

import gettext
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.catalog import Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.messages.pofile import write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "forum" / "translations"
TEMPLATE = TRANSLATIONS / "messages.pot"
JS_CATALOGUES = ROOT / "static" / "i18n"
JS_SOURCES = "static/js/"  # messages found here go to the JavaScript's catalogue
PSEUDO_RTL = "ar"  # forum.i18n.PSEUDO_RTL; not imported, so this runs without Flask
_SAMPLES = [*range(0, 200), 1_000_000]  # integers that show every plural category in use


def pseudo_text(text: str) -> str:
    """ "Reply" → "\u200f⟦Reply⟧\u200f": placeholders and markup kept; the marks show
    it was translated."""
    return f"\u200f⟦{text}⟧\u200f" if text else text


def write_pseudo_catalogue(template: Path = TEMPLATE) -> Path:
    with template.open("rb") as source:
        pot = read_po(source)
    catalog = Catalog(locale=PSEUDO_RTL, project="Porch", fuzzy=False)
    forms = catalog.num_plurals
    for message in pot:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            one, many = message.id
            strings: Any = tuple([pseudo_text(one)] * 2 + [pseudo_text(many)] * (forms - 2))
            if forms == 6:  # Arabic: zero, one, two, few, many, other
                strings = (pseudo_text(many), pseudo_text(one)) + (pseudo_text(many),) * 4
        else:
            strings = pseudo_text(message.id)
        catalog.add(message.id, strings, locations=message.locations, flags=message.flags)
    target = TRANSLATIONS / PSEUDO_RTL / "LC_MESSAGES" / "messages.po"
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as out:
        write_po(out, catalog, width=100)
    return target


def _category_index(catalog: Catalog) -> dict[str, int]:
    """CLDR plural category (as Intl.PluralRules names it) → the catalogue's form index."""
    rule = Locale.parse(str(catalog.locale)).plural_form
    pick: Callable[[int], int] = gettext.c2py(catalog.plural_expr)
    found: dict[str, int] = {}
    for n in _SAMPLES:
        found.setdefault(rule(n), pick(n))
    return found


def js_catalogue(catalog: Catalog) -> dict[str, Any]:
    """The messages the JavaScript uses, translated; untranslated ones are left out (English)."""
    categories = _category_index(catalog)
    messages: dict[str, Any] = {}
    for message in catalog:
        if not message.id or not _used_by_js(message) or message.fuzzy:
            continue
        if isinstance(message.id, tuple | list):
            strings = list(message.string or ())
            if all(strings):
                messages[message.id[0]] = {tag: strings[i] for tag, i in categories.items()}
        elif message.string:
            messages[message.id] = message.string
    return {"locale": str(catalog.locale).replace("_", "-"), "messages": messages}


def _used_by_js(message: Message) -> bool:
    return any(path.startswith(JS_SOURCES) for path, _line in message.locations)


def compile_catalogues() -> list[Path]:
    """Every forum/translations/<locale>/LC_MESSAGES/messages.po → .mo and static/i18n JSON."""
    written = []
    JS_CATALOGUES.mkdir(parents=True, exist_ok=True)
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        locale = po.parent.parent.name
        with po.open("rb") as source:
            catalog = read_po(source, locale=locale)
        with po.with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)
        target = JS_CATALOGUES / f"{locale}.json"
        target.write_text(json.dumps(js_catalogue(catalog), ensure_ascii=False, sort_keys=True))
        written.append(po.with_suffix(".mo"))
    english = JS_CATALOGUES / "en.json"  # English is the source: nothing to look up
    english.write_text(json.dumps({"locale": "en", "messages": {}}))
    return written


def stale() -> bool:
    """True when some catalogue's .mo or JSON is missing or older than its .po."""
    for po in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        built = [po.with_suffix(".mo"), JS_CATALOGUES / f"{po.parent.parent.name}.json"]
        if any(not b.exists() or b.stat().st_mtime < po.stat().st_mtime for b in built):
            return True
    return not (JS_CATALOGUES / "en.json").exists()


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else ""
    if command == "pseudo":
        print(f"wrote {write_pseudo_catalogue().relative_to(ROOT)}")
    elif command == "compile":
        for path in compile_catalogues():
            print(f"compiled {path.relative_to(ROOT)}")
    else:
        print("usage: python -m forum.i18n_build pseudo|compile", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
