"""No user-facing text outside the catalogue: every word a reader sees in a template (text and
the attributes people read: placeholder, title, aria-label, alt, an input button's value), in a
string literal a template shows, or in the listed Python modules, goes through `_()` / `ngettext()`.

Only non-linguistic text (product names, symbols, code) is allowed outside.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import nodes

from forum import create_app

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "templates"
PENDING: set[str] = set()  # template folders not yet wrapped: none
CHECKED = sorted(
    path
    for path in TEMPLATES.rglob("*.html")
    if path.relative_to(TEMPLATES).parts[0] not in PENDING
)
# Python modules whose strings are all shown to people (views' flash messages and forms are
# checked on the i18n-strings branch).
PYTHON_MODULES = [
    "forum/web/presenters.py",
    "forum/web/inbox/presenters.py",
    "forum/web/filters.py",
]

ALLOWED = {"Porch", "JSON", "API", "OK", "HTTP"}  # names and codes, the same in every language
ALLOWED_LITERALS = {"flask --app wsgi porch user create --role admin"}  # a command to type
READ_ATTRIBUTES = {"placeholder", "title", "aria-label", "alt", "label"}
GETTEXT = {"_", "gettext", "ngettext", "pgettext", "npgettext", "lazy_gettext", "lazy_ngettext"}
JINJA_TAG = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
TRANS_BLOCK = re.compile(r"\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}", re.DOTALL)
SLOT = "\ue000"  # stands for a Jinja expression: not a word


def _words(text: str) -> list[str]:
    text = re.sub(SLOT + r"-[\w-]+", SLOT, text)  # an id built from a value: "{{ id }}-errors"
    words = re.findall(r"[^\W\d_]{2,}", text.replace(SLOT, " "))
    return [word for word in words if word not in ALLOWED]


class _TextFinder(HTMLParser):
    """Text nodes and read attributes of a template whose Jinja tags became SLOTs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "code", "pre"):
            self._skip += 1
        attributes = dict(attrs)
        for name, value in attributes.items():
            # An input button shows its value; a <button>'s value is only sent, never shown.
            shown = name in READ_ATTRIBUTES or (
                name == "value"
                and tag == "input"
                and attributes.get("type") in ("submit", "button", "reset")
            )
            if shown and value and _words(value):
                self.found.append(f'{name}="{value}"')

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "code", "pre") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip and _words(data):
            self.found.append(data.strip().replace(SLOT, "{…}"))


def untranslated_text(source: str) -> list[str]:
    """Words in the template's HTML that no gettext call produced."""
    html = JINJA_TAG.sub(SLOT, TRANS_BLOCK.sub(SLOT, source))
    finder = _TextFinder()
    finder.feed(html)
    finder.close()
    return finder.found


def _looks_linguistic(text: str) -> bool:
    """ "Leave a reply", "Oldest": words for people, not a class, endpoint or file name."""
    if text in ALLOWED_LITERALS or not _words(text):
        return False
    if re.fullmatch(r"[\w.\-/:#%(){}]*", text) and not text.istitle():
        return False
    return " " in text.strip() or bool(re.fullmatch(r"[A-Z][a-z]+", text))


def _literals_outside_gettext(node: nodes.Node, inside: bool = False) -> Iterator[str]:
    if isinstance(node, nodes.Call) and isinstance(node.node, nodes.Name):
        inside = inside or node.node.name in GETTEXT
        if node.node.name in ("url_for", "config"):
            return
    if isinstance(node, nodes.Compare | nodes.Getitem | nodes.Getattr):
        return  # comparisons and lookups name things; they are not shown
    if isinstance(node, nodes.Keyword) and node.key in ("class_", "filename", "autocomplete"):
        return
    if isinstance(node, nodes.Const) and isinstance(node.value, str) and not inside:
        if _looks_linguistic(node.value):
            yield node.value
    for child in node.iter_child_nodes():
        yield from _literals_outside_gettext(child, inside)


def untranslated_literals(source: str) -> list[str]:
    """String literals in Jinja expressions (macro arguments, lists of labels) shown as text."""
    environment = create_app({"TESTING": True}).jinja_env
    return list(_literals_outside_gettext(environment.parse(source)))


@pytest.mark.parametrize("template", CHECKED, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_template_shows_no_text_outside_the_catalogue(template: Path) -> None:
    source = template.read_text()
    assert untranslated_text(source) == []
    assert untranslated_literals(source) == []


def test_the_checks_catch_each_kind_of_untranslated_text() -> None:
    assert untranslated_text("<p>Leave a reply</p>") == ["Leave a reply"]
    assert untranslated_text('<input placeholder="Search">') == ['placeholder="Search"']
    assert untranslated_text('<a aria-label="Pages">{{ n }}</a>') == ['aria-label="Pages"']
    assert untranslated_text('<input type="submit" value="Send">') == ['value="Send"']
    assert untranslated_text('<button value="approve">{{ _("Approve") }}</button>') == []
    assert untranslated_text("<p>{{ count }} replies</p>") == ["{…} replies"]
    assert untranslated_literals("{{ heading or 'Leave a reply' }}") == ["Leave a reply"]
    assert untranslated_literals("{% for v, label in [('old', 'Oldest')] %}{% endfor %}") == [
        "Oldest"
    ]
    allowed = (
        '<p>{{ _("Leave a reply") }}</p><p>{% trans %}Hi <b>{{ name }}</b>{% endtrans %}</p>'
        "<code>flask db upgrade</code><p>{{ site_name }} · Porch</p><p>&larr; 42</p>"
        "{{ url_for('threads.show', slug=post.slug) }}{% if role == 'admin' %}{% endif %}"
    )
    assert untranslated_text(allowed) == [] and untranslated_literals(allowed) == []


def _python_literals(path: Path) -> Iterator[str]:
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    translated: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in GETTEXT:
            translated |= {id(inner) for arg in node.args for inner in ast.walk(arg)}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings | translated
            and _looks_linguistic(node.value)
            and "<" not in node.value  # markup, such as "<bdi>%s</bdi>"
        ):
            yield node.value
        if isinstance(node, ast.JoinedStr):  # an f-string of words cannot be translated
            parts = [p.value for p in node.values if isinstance(p, ast.Constant)]
            if _words(" ".join(str(part) for part in parts)):
                yield ast.unparse(node)


@pytest.mark.parametrize("module", PYTHON_MODULES)
def test_module_shows_no_text_outside_the_catalogue(module: str) -> None:
    assert list(_python_literals(ROOT / module)) == []
