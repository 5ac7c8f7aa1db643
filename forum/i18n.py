"""Translation: the one place code and templates get `_`, `ngettext` and `lazy_gettext`.

Every user-facing string goes through these (templates get them from Flask-Babel's Jinja
extension as `_()` / `ngettext()`); `make i18n` extracts them into forum/translations/.
Which locale a request speaks is decided by `select_locale`: the signed-in member's own
choice, else the browser's Accept-Language among the languages the site offers, else the
site's default language (a site setting).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from babel import Locale
from flask import Flask
from flask import current_app
from flask import g
from flask import has_request_context
from flask import request
from flask.wrappers import Response
from flask_babel import Babel
from flask_babel import force_locale
from flask_babel import get_locale
from flask_babel import gettext
from flask_babel import lazy_gettext
from flask_babel import lazy_ngettext
from flask_babel import ngettext
from flask_babel import pgettext

__all__ = [
    "LANGUAGES",
    "PSEUDO_RTL",
    "_",
    "current_language",
    "gettext",
    "in_language",
    "init_app",
    "lazy_gettext",
    "lazy_ngettext",
    "ngettext",
    "offered_languages",
    "pgettext",
    "text_direction",
]

_ = gettext
babel = Babel()

TRANSLATIONS_DIR = "translations"  # relative to the forum package
DEFAULT_LANGUAGE = "en"
# The languages Porch ships complete, each named in itself (as a language menu shows them).
LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}
# A right-to-left pseudo-locale for layout tests: the English text, marked and mirrored, under
# Arabic's code (Babel needs a locale it knows). Offered only with PORCH_I18N_PSEUDO_RTL=1.
PSEUDO_RTL = "ar"
PSEUDO_RTL_NAME = "RTL pseudo-locale (test)"
_FROM_HEADER = "porch_locale_from_header"


def offered_languages() -> dict[str, str]:
    """Code → name of every language this site speaks."""
    offered = dict(LANGUAGES)
    if current_app.config.get("I18N_PSEUDO_RTL"):
        offered[PSEUDO_RTL] = PSEUDO_RTL_NAME
    return offered


def site_language() -> str:
    """The site's default language (a site setting), if it is still offered."""
    from forum.web.filters import request_site_settings  # the web layer reads it per request

    chosen = request_site_settings().language
    return chosen if chosen in offered_languages() else DEFAULT_LANGUAGE


def select_locale() -> str:
    """The member's own choice, else Accept-Language among the offered, else the site's."""
    if not has_request_context():
        return DEFAULT_LANGUAGE  # mail and jobs choose theirs with `in_language`
    offered = offered_languages()
    own = _members_choice()
    if own in offered:
        return own
    setattr(g, _FROM_HEADER, True)  # whatever it says, the answer depended on it
    from_header = request.accept_languages.best_match(list(offered))
    return from_header if from_header is not None else site_language()


def _members_choice() -> str | None:
    from flask_login import current_user

    return getattr(current_user, "locale", None) if current_user.is_authenticated else None


def select_timezone() -> str:
    """The site's time zone: every date is shown in it, whoever reads."""
    from forum.web.filters import site_zone

    return str(site_zone())


def current_language() -> str:
    """The locale code this request (or `in_language` block) speaks, e.g. "de"."""
    locale = get_locale()
    return str(locale) if locale is not None else DEFAULT_LANGUAGE


def html_lang() -> str:
    """BCP 47 form for <html lang>: "pt-BR", not Babel's "pt_BR"."""
    return current_language().replace("_", "-")


def text_direction() -> str:
    """ "rtl" or "ltr", for <html dir>."""
    locale = get_locale()
    return "rtl" if locale is not None and locale.text_direction == "rtl" else "ltr"


@contextmanager
def in_language(language: str | None) -> Iterator[None]:
    """Speak `language` (e.g. an email's recipient's) inside the block; the site's if None."""
    chosen = language if language in LANGUAGES or language == PSEUDO_RTL else None
    with force_locale(Locale.parse(chosen or _fallback_language())):
        yield


def _fallback_language() -> str:
    try:
        return site_language()
    except RuntimeError:  # no app context: nothing to read the setting from
        return DEFAULT_LANGUAGE


def _vary_on_language(response: Response) -> Response:
    """A page chosen by Accept-Language must not be served by a shared cache to another."""
    if g.get(_FROM_HEADER):
        response.vary.add("Accept-Language")
    return response


def _template_context() -> dict[str, object]:
    return {"html_lang": html_lang(), "text_direction": text_direction()}


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", TRANSLATIONS_DIR)
    app.config.setdefault("I18N_PSEUDO_RTL", False)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks as one line each
    app.after_request(_vary_on_language)
    app.context_processor(_template_context)
