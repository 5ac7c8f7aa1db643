"""Render user-written Markdown replies to safe HTML in one call, used when a post is saved."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt

from forum.text.plain import excerpt
from forum.text.sanitize import clean
from forum.text.sanitize import clean_article

# C0 controls except \t and \n, plus DEL: invisible, and NUL breaks databases and parsers.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

# Headings, images and rules are off so "# x", "![a](b)" and "---" stay readable text.
_MARKDOWN = (
    MarkdownIt("commonmark", {"breaks": True, "html": True})
    .enable("strikethrough")
    .disable(["heading", "lheading", "image", "hr"])
)

# Articles: standard Markdown (a line break needs two spaces), with headings, images and tables.
_ARTICLE_MARKDOWN = MarkdownIt("commonmark", {"html": True}).enable(["strikethrough", "table"])
EXCERPT_LENGTH = 200


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


def render_article(source: str) -> str:
    """Turn an author's Markdown post into sanitised HTML with the article allow-list."""
    html: str = _ARTICLE_MARKDOWN.render(normalize_source(source))
    return clean_article(html).strip()


def excerpt_of(body_html: str, limit: int = EXCERPT_LENGTH) -> str:
    """The start of a post's text, cut at a word and marked with an ellipsis when cut."""
    return excerpt(body_html, limit)


# Blocks that wpautop leaves unwrapped: a paragraph starting with one of these is already markup.
_BLOCK_START = re.compile(
    r"^\s*<(p|ul|ol|li|blockquote|pre|h[1-6]|table|div|figure|hr|dl|section)\b", re.I
)


_PRE = re.compile(r"<pre\b.*?</pre>", re.I | re.S)
_KEPT = re.compile(r"\x00(\d+)\x00")  # a NUL never survives normalize_source, so it marks


def autop(html: str) -> str:
    """WordPress's paragraphs: blank lines split paragraphs and single newlines become <br>.

    As in wpautop, a <pre> block is left exactly as written (its blank lines are code).
    """
    kept: list[str] = []

    def keep(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\n\n\x00{len(kept) - 1}\x00\n\n"

    text = _PRE.sub(keep, normalize_source(html)).strip()
    out = []
    for block in re.split(r"\n\s*\n", text):
        if not block.strip():
            continue
        if _BLOCK_START.match(block) or _KEPT.fullmatch(block):
            out.append(block)
        else:
            out.append("<p>" + block.strip().replace("\n", "<br>\n") + "</p>")
    return _KEPT.sub(lambda match: kept[int(match.group(1))], "\n".join(out))


def render_imported_html(html: str) -> str:
    """An imported comment (WordPress, Disqus: HTML, not Markdown) as sanitised HTML."""
    return clean(autop(html)).strip()


def render_imported_article(html: str) -> str:
    """An imported post, written by the site's authors: the article allow-list, as Porch's own."""
    return clean_article(autop(html)).strip()
