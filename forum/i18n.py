"""Translation: the one place code and templates get `_`, `ngettext` and `lazy_gettext`.

Every user-facing string goes through these (templates get them from Flask-Babel's Jinja
extension as `_()` / `ngettext()`); `make i18n` extracts them into forum/translations/.
Which locale a request speaks is decided by `select_locale`.
"""

from __future__ import annotations

from flask import Flask
from flask_babel import Babel
from flask_babel import gettext
from flask_babel import lazy_gettext
from flask_babel import lazy_ngettext
from flask_babel import ngettext

__all__ = ["_", "gettext", "init_app", "lazy_gettext", "lazy_ngettext", "ngettext"]

_ = gettext
babel = Babel()

TRANSLATIONS_DIR = "translations"  # relative to the forum package


def select_locale() -> str:
    """The request's locale. For now the default; negotiation comes with issue 13."""
    return "en"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "en")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS_DIR)
    babel.init_app(app, locale_selector=select_locale)
