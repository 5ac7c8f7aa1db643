"""No message shown to a person is written in Python outside `_()`.

Templates are checked by tests/test_untranslated_strings.py; this walks every module under
forum/ for the calls whose text reaches a page, an email or an API answer: flash messages,
form validation errors, the domain errors services raise (their message is shown), API errors,
and form field labels. Their text must come from a gettext call, never a bare string or an
f-string (which a translator could not reorder).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The command line speaks English to the site owner (CLI messages are not translated); backups
# and JSON restores are run from it only.
NOT_SHOWN_ON_PAGES = {
    "forum/cli.py",
    "forum/services/backup.py",
    "forum/services/exporting/json_restore.py",
    "forum/demo/__init__.py",
}
NOT_SHOWN_DIRS = ("forum/commands/", "forum/translations/")
# Calls whose first argument (or, for ApiError, third) is shown to a person.
MESSAGE_CALLS = {
    "flash": 0,
    "ValidationError": 0,
    "DomainError": 0,
    "NotFound": 0,
    "Forbidden": 0,
    "TooFast": 0,
    "RestoreRefused": 0,
    "DataRequired": 0,
    "InputRequired": 0,
    "ApiError": 2,
}
FIELDS = {
    "StringField",
    "TextAreaField",
    "PasswordField",
    "BooleanField",
    "SelectField",
    "SelectMultipleField",
    "IntegerField",
    "EmailField",
    "URLField",
    "FileField",
    "DateTimeLocalField",
    "RadioField",
}


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_text(node: ast.AST) -> bool:
    """A bare string a person would read (more than a symbol), or an f-string."""
    if isinstance(node, ast.JoinedStr):
        return True
    return isinstance(node, ast.Constant) and isinstance(node.value, str) and any(
        c.isalpha() for c in node.value
    )


def _invalid_input_messages(call: ast.Call) -> Iterator[ast.AST]:
    """InvalidInput({"field": ["message", ...]}): each listed message."""
    for argument in call.args:
        if isinstance(argument, ast.Dict):
            for value in argument.values:
                if isinstance(value, ast.List):
                    yield from value.elts


def untranslated(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node)
        shown: list[ast.AST] = []
        if name in MESSAGE_CALLS and len(node.args) > MESSAGE_CALLS[name]:
            shown.append(node.args[MESSAGE_CALLS[name]])
        elif name == "InvalidInput":
            shown.extend(_invalid_input_messages(node))
        elif name in FIELDS and node.args:
            shown.append(node.args[0])  # the label
        found += [f"line {n.lineno}: {ast.unparse(n)[:80]}" for n in shown if _is_text(n)]
    return found


def _modules() -> list[Path]:
    paths = []
    for path in sorted((ROOT / "forum").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative in NOT_SHOWN_ON_PAGES or relative.startswith(NOT_SHOWN_DIRS):
            continue
        paths.append(path)
    return paths


@pytest.mark.parametrize("path", _modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_messages_shown_to_people_go_through_gettext(path: Path) -> None:
    assert untranslated(path.read_text()) == []


def test_the_check_catches_each_kind_of_bare_message() -> None:
    source = """
flash("Saved.")
raise InvalidInput({"body": ["Write something."]})
raise Forbidden(f"Only {who} may")
raise ApiError(403, "forbidden", "No.")
name = StringField("Name")
DataRequired("Say something.")
"""
    assert len(untranslated(source)) == 6
    wrapped = """
flash(_("Saved."))
raise InvalidInput({"body": [_("Write something.")]})
raise ApiError(403, "forbidden", _("No."))
name = StringField(lazy_gettext("Name"))
code = StringField()
raise NotFound(message)
"""
    assert untranslated(wrapped) == []
