"""Words stored now and read later, in the language of whoever reads them.

A decision trace or an import report is written once, when a reply is posted or a file
imported, but read by moderators in their own language. So beside the English text (kept for
logs, exports and records written before this) we store the message id and its arguments,
and `shown` translates them where they are displayed. `N_` only marks a message id for
`make i18n` (Babel extracts `N_` by default); nothing is translated where it is called.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_translations

# {"msg": a message id with %(name)s placeholders, "args": {name: value, a Phrase or a list}}
Phrase = dict[str, Any]


def N_(message: str) -> str:  # noqa: N802  (the name gettext tools look for)
    """Mark a message id for extraction; it is translated where it is shown."""
    return message


def phrase(msg: str, **args: Any) -> Phrase:
    return {"msg": msg, "args": args}


def plural_phrase(msg: str, plural: str, num: int, **args: Any) -> Phrase:
    """A phrase with a count: `msg` for one, `plural` otherwise. Mark both with N_: each is
    translated as its own message (ngettext's per-language rules need both in one entry, which
    N_ cannot mark). `num` is also the %(num)d placeholder."""
    return {"msg": msg, "plural": plural, "args": {**args, "num": num}}


def english(value: Any) -> str:
    """The phrase as stored for logs and exports: the message id, filled in."""
    return str(_render(value, translated=False))


def shown(value: Any) -> str:
    """The phrase in the reader's language (a plain string is shown as it is)."""
    return str(_render(value, translated=True))


def _render(value: Any, *, translated: bool) -> Any:
    if isinstance(value, list):
        return "; ".join(str(_render(item, translated=translated)) for item in value)
    if not (isinstance(value, dict) and "msg" in value):
        return value
    args = {
        name: _render(arg, translated=translated)
        for name, arg in dict(value.get("args") or {}).items()
    }
    english_text = _english_form(value, args)
    if not translated:
        return _fill(english_text, args)
    try:
        return _fill(_translate(value, args), args)
    except (KeyError, ValueError, TypeError):  # a broken translation: fall back to English
        return _fill(english_text, args)


def _english_form(value: Phrase, args: dict[str, Any]) -> str:
    if "plural" in value and args.get("num") != 1:
        return str(value["plural"])
    return str(value["msg"])


def _translate(value: Phrase, args: dict[str, Any]) -> str:
    # Both forms are marked with N_, so each is its own message: the English rule picks one.
    return gettext_plain(_english_form(value, args))


def _fill(text: str, args: dict[str, Any]) -> str:
    return text % args if args else text


# Translation without Flask-Babel's own "%" formatting: _fill does it, once.
def gettext_plain(msg: str) -> str:
    return str(get_translations().ugettext(msg))
