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
from datetime import timedelta
from functools import cache
from typing import Any

import flask_babel
from babel import Locale
from babel import support
from flask import Flask
from flask import current_app
from flask import g
from flask import has_app_context
from flask import has_request_context
from flask import request
from flask.wrappers import Response
from flask_babel import Babel
from flask_babel import force_locale
from flask_babel import lazy_gettext
from flask_babel import lazy_ngettext
from wtforms.i18n import messages_path

__all__ = [
    "LANGUAGES",
    "PSEUDO_RTL",
    "_",
    "current_language",
    "format_number",
    "format_relative",
    "gettext",
    "in_language",
    "isolate",
    "init_app",
    "lazy_gettext",
    "lazy_ngettext",
    "ngettext",
    "offered_languages",
    "pgettext",
    "text_direction",
]

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


_BABEL_STATE = "_flask_babel"  # where Flask-Babel keeps a request's locale, on flask.g
_REMEMBERED = "porch_translations"


def translations() -> support.NullTranslations:
    """The catalogue of the locale in force, remembered beside it for the request: Flask-Babel
    finds it again through a dozen context look-ups for every string (sixty calls; a post asks a
    dozen strings, a thread page hundreds).
    force_locale (in_language) and refresh put another locale in force, which is looked up."""
    state = g.get(_BABEL_STATE) if has_app_context() else None
    remembered: tuple[Locale, support.NullTranslations] | None = getattr(state, _REMEMBERED, None)
    if remembered is not None and remembered[0] is getattr(state, "babel_locale", None):
        return remembered[1]
    found: support.NullTranslations = flask_babel.get_translations()
    state = g.get(_BABEL_STATE) if has_app_context() else None
    locale = getattr(state, "babel_locale", None)  # chosen by the look-up if it was not yet
    if locale is not None:
        setattr(state, _REMEMBERED, (locale, found))
    return found


def gettext(string: str, **variables: Any) -> str:
    """The translation of `string`, with `%(name)s` placeholders filled from `variables`."""
    text = translations().ugettext(string)
    return str(text % variables if variables else text)


_ = gettext


def ngettext(singular: str, plural: str, n: int, /, **variables: Any) -> str:
    """The form for `n` in the page's language; `%(num)d` is `n` unless `num` is given
    (such as `num=format_number(n)` with `%(num)s`, for "1,234")."""
    variables.setdefault("num", n)
    chosen = translations().ungettext(singular, plural, n)
    return str(chosen % variables)


def pgettext(context: str, string: str, **variables: Any) -> str:
    """As gettext, for a word whose meaning depends on `context` ("verb", "reply status")."""
    text = translations().upgettext(context, string)
    return str(text % variables if variables else text)


def get_locale() -> Locale | None:
    found: Locale | None = flask_babel.get_locale()
    return found


@cache
def wtforms_translations(language: str) -> support.NullTranslations:
    """WTForms' own messages (e.g. "Invalid email address.") in this language, loaded once."""
    return support.Translations.load(messages_path(), [language], domain="wtforms")


def format_number(value: float) -> str:
    """ "1,234" / "1.234" / "1 234": a count or amount in the page's language."""
    return str(flask_babel.format_decimal(value))


def format_relative(delta: timedelta) -> str:
    """ "3 months ago" / "vor 3 Monaten" (negative deltas: past; positive: "in 3 days")."""
    return str(flask_babel.format_timedelta(delta, granularity="minute", add_direction=True))


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
    from_header = browser_language()
    return from_header if from_header is not None else site_language()


def browser_language() -> str | None:
    """The best of the offered languages the request's Accept-Language asks for, if any.

    Anonymous pages are cached per (address, this): no database read to find the key, and
    None stands for the site's default, whose change empties the page cache anyway.
    """
    setattr(g, _FROM_HEADER, True)  # whatever it says, the answer depended on it
    found: str | None = request.accept_languages.best_match(list(offered_languages()))
    return found


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


def isolate(text: str) -> str:
    """A name or title inside a plain-text sentence, isolated (FSI … PDI, as <bdi> in HTML) so
    a right-to-left name cannot reorder the words around it, nor the reverse."""
    return f"\u2068{text}\u2069"


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
    # Templates' _(), ngettext() and pgettext() as Flask-Babel installs them, through the
    # remembered catalogue.
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]  # jinja2.ext.i18n
        gettext=lambda s: translations().ugettext(s),
        ngettext=lambda s, p, n: translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks as one line each
    app.after_request(_vary_on_language)
    app.context_processor(_template_context)
