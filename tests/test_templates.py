"""Template rules that keep a strict CSP possible and user HTML in one sanitised path."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

TEMPLATES = sorted((Path(__file__).parent.parent / "templates").rglob("*.html"))
# Only HTML produced by forum.text (sanitised on write, or a preview of the same) is marked safe.
SANITISED_VALUES = re.compile(r"\{\{\s*(\w+\.)*(body_html|preview_html)\|safe\s*\}\}")


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_template_has_no_inline_script_or_event_handler(template: Path) -> None:
    source = template.read_text()
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", source), "inline <script>"
    assert not re.search(r"\son[a-z]+\s*=", source), "event-handler attribute"
    assert "javascript:" not in source
    assert "style=" not in source, "inline style (CSP forbids it)"


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_only_sanitised_html_is_marked_safe(template: Path) -> None:
    source = template.read_text()
    uses = re.findall(r"\{\{[^}]*\|\s*safe[^}]*\}\}", source)
    assert all(SANITISED_VALUES.fullmatch(use) for use in uses), uses
    assert "Markup(" not in source and "autoescape false" not in source


def test_no_asset_loads_from_another_host() -> None:
    static = Path(__file__).parent.parent / "static"
    for path in [*TEMPLATES, *static.rglob("*.css"), *static.rglob("*.js")]:
        text = path.read_text()
        assert not re.search(r"(src|href)=\"(https?:)?//", text), path
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", text), path
        assert "@import" not in text, path
