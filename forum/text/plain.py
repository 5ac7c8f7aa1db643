"""HTML as plain text for quotes, excerpts and titles where markup would show; never markup."""

from __future__ import annotations

from html.parser import HTMLParser

# Tags that end a line of text; between them, words would otherwise run together.
_BREAKS = frozenset({"p", "br", "li", "ul", "ol", "blockquote", "pre", "div", "h1", "h2", "h3"})
# Elements whose content is code, not text (imported HTML may still hold them).
_HIDDEN = frozenset({"script", "style", "template"})
ELLIPSIS = "…"


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment, a space wherever a block ends."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in _HIDDEN
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in _HIDDEN and self.hidden > 0
        if tag in _BREAKS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def plain_text(html: str) -> str:
    """The words of an HTML fragment, markup removed and whitespace collapsed."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


def excerpt(html: str, limit: int = 140) -> str:
    """Plain text of at most `limit` characters, cut at a word and marked with an ellipsis."""
    text = plain_text(html)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(",.;:!?-–— ") + ELLIPSIS
