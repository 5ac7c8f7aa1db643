"""Render user-written Markdown replies to safe HTML in one call, used when a post is saved."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from forum.text.sanitize import clean

# C0 controls except \t and \n, plus DEL: invisible, and NUL breaks databases and parsers.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Headings, images and rules are off so "# x", "![a](b)" and "---" stay readable text.
_MARKDOWN = (
    MarkdownIt("commonmark", {"breaks": True, "html": True})
    .enable("strikethrough")
    .disable(["heading", "lheading", "image", "hr"])
)


def normalize_source(text: str) -> str:
    """Unify newlines and drop control characters so stored source is clean and stable."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_CHARS.sub("", text)


def markdown_to_html(source: str) -> str:
    """Convert Markdown to unsanitised HTML; never output this without clean()."""
    html: str = _MARKDOWN.render(source)
    return html


def render(source: str) -> str:
    """Turn a user's Markdown reply into sanitised HTML ready to store and display."""
    return clean(markdown_to_html(normalize_source(source))).strip()


# Blocks that wpautop leaves unwrapped: a paragraph starting with one of these is already markup.
_BLOCK_START = re.compile(
    r"^\s*<(p|ul|ol|li|blockquote|pre|h[1-6]|table|div|figure|hr|dl|section)\b", re.I
)


def autop(html: str) -> str:
    """WordPress's paragraphs: blank lines split paragraphs and single newlines become <br>."""
    blocks = re.split(r"\n\s*\n", normalize_source(html).strip())
    out = []
    for block in blocks:
        if not block.strip():
            continue
        if _BLOCK_START.match(block):
            out.append(block)
        else:
            out.append("<p>" + block.strip().replace("\n", "<br>\n") + "</p>")
    return "\n".join(out)


def render_imported_html(html: str) -> str:
    """An imported comment or post (WordPress, Disqus: HTML, not Markdown) as sanitised HTML."""
    return clean(autop(html)).strip()
