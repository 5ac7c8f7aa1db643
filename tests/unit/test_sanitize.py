"""Table-driven tests for the markup pipeline: Markdown in, exact sanitised HTML out."""

from __future__ import annotations

from pathlib import Path

import pytest

from forum.text.render import normalize_source
from forum.text.render import render
from forum.text.sanitize import ALLOWED_PROTOCOLS
from forum.text.sanitize import ALLOWED_TAGS
from forum.text.sanitize import clean

REL = 'rel="nofollow ugc noopener"'

# Markdown source -> exact output of render().
RENDER_CASES: list[tuple[str, str]] = [
    ("", ""),
    ("Hello, World!", "<p>Hello, World!</p>"),
    ("one\n\ntwo", "<p>one</p>\n<p>two</p>"),
    ("one\ntwo", "<p>one<br>\ntwo</p>"),
    ("one\r\ntwo", "<p>one<br>\ntwo</p>"),
    ("**bold**", "<p><strong>bold</strong></p>"),
    ("*italic*", "<p><em>italic</em></p>"),
    ("~~strike~~", "<p><s>strike</s></p>"),
    ("`x = 1`", "<p><code>x = 1</code></p>"),
    ("```python\nprint('<hi>')\n```", "<pre><code>print('&lt;hi&gt;')\n</code></pre>"),
    ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
    (
        "> outer\n>> inner",
        "<blockquote>\n<p>outer</p>\n<blockquote>\n<p>inner</p>\n</blockquote>\n</blockquote>",
    ),
    ("- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"),
    ("1. a\n2. b", "<ol>\n<li>a</li>\n<li>b</li>\n</ol>"),
    (
        "see https://example.com/a?b=1&c=2 ok",
        (
            f'<p>see <a href="https://example.com/a?b=1&amp;c=2" {REL}>'
            "https://example.com/a?b=1&amp;c=2</a> ok</p>"
        ),
    ),
    ("www.example.com", f'<p><a href="http://www.example.com" {REL}>www.example.com</a></p>'),
    ("[x](https://example.com)", f'<p><a href="https://example.com" {REL}>x</a></p>'),
    (
        '[x](https://example.com "T")',
        f'<p><a href="https://example.com" title="T" {REL}>x</a></p>',
    ),
    ("[m](mailto:a@example.com)", f'<p><a href="mailto:a@example.com" {REL}>m</a></p>'),
    ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("[x](/relative)", "<p>x</p>"),
    ("`https://example.com`", "<p><code>https://example.com</code></p>"),
    ("```\nhttps://example.com\n```", "<pre><code>https://example.com\n</code></pre>"),
    ("# Title", "<p># Title</p>"),
    ("Title\n=====", "<p>Title<br>\n=====</p>"),
    ("---", "<p>---</p>"),
    (
        "![alt](https://example.com/a.png)",
        f'<p>!<a href="https://example.com/a.png" {REL}>alt</a></p>',
    ),
    ("<b>raw html</b>", "<p><b>raw html</b></p>"),
    ("<script>alert(1)</script>", ""),
    ("hi <script>alert(1)</script> there", "<p>hi  there</p>"),
    ("<style>p { color: red }</style>\n\nok", "<p>ok</p>"),
    ("<img src=x onerror=alert(1)>", ""),
    ('<iframe src="https://evil.example"></iframe>', ""),
    ("a <!-- secret --> b", "<p>a  b</p>"),
    ("ünïcødé 日本語 🎉 — “quotes”", "<p>ünïcødé 日本語 🎉 — “quotes”</p>"),
    ("a & b < c", "<p>a &amp; b &lt; c</p>"),
    ("nul\x00here\x07\x1b", "<p>nulhere</p>"),
]

# Untrusted HTML -> exact output of clean().
CLEAN_CASES: list[tuple[str, str]] = [
    ("", ""),
    ("<p>plain</p>", "<p>plain</p>"),
    ("<script>alert(1)</script>", ""),
    ("a<script type='text/javascript'>alert(1)</script>b", "ab"),
    ("<style>body{display:none}</style>x", "x"),
    ("<iframe src=x>inner</iframe>y", "y"),
    ("<object data=x><embed src=y><p>t</p></object>z", "z"),
    ("<template><b>t</b></template>z", "z"),
    ("<noscript><p>n</p></noscript>z", "z"),
    ("<img src=x onerror=alert(1)>", ""),
    ('<b onclick="alert(1)">b</b>', "<b>b</b>"),
    ('<p style="color:red" class="big">s</p>', "<p>s</p>"),
    ("<h1>Title</h1>", "Title"),
    ("x<!-- comment -->y", "xy"),
    ('<a href="javascript:alert(1)">js</a>', "js"),
    ('<a href="JaVaScRiPt:alert(1)">js</a>', "js"),
    ('<a href="jav&#x09;ascript:alert(1)">js</a>', "js"),
    ('<a href="data:text/html;base64,PHNjcmlwdD4=">d</a>', "d"),
    ('<a href="vbscript:msgbox(1)">v</a>', "v"),
    ('<a href="sms:+15555550100">s</a>', "s"),
    ('<a href="//evil.example/">r</a>', "r"),
    ('<a href="https:evil.example">h</a>', "h"),
    ("<a>no href</a>", "no href"),
    ('<a href="mailto:a@example.com">m</a>', f'<a href="mailto:a@example.com" {REL}>m</a>'),
    (
        '<a href="https://example.com" rel="me" target="_blank" class="c" onclick="x">x</a>',
        f'<a href="https://example.com" {REL}>x</a>',
    ),
    (
        "go to http://example.com now",
        f'go to <a href="http://example.com" {REL}>http://example.com</a> now',
    ),
    ("<pre>http://example.com</pre>", "<pre>http://example.com</pre>"),
    ("<code>http://example.com</code>", "<code>http://example.com</code>"),
    ("<pre>&lt;a&gt; &amp; x&y</pre>", "<pre>&lt;a&gt; &amp; x&amp;y</pre>"),
    ("<code>a &amp;amp; b</code>", "<code>a &amp;amp; b</code>"),
    ("mail a@example.com", "mail a@example.com"),
    ("<b>a<i>b</b>c</i>", "<b>a<i>b</i></b><i>c</i>"),
    (
        "<blockquote><blockquote>n</blockquote></blockquote>",
        "<blockquote><blockquote>n</blockquote></blockquote>",
    ),
]

# Raw user text -> exact output of normalize_source().
NORMALIZE_CASES: list[tuple[str, str]] = [
    ("", ""),
    ("plain", "plain"),
    ("a\x00b", "ab"),
    ("bell\x07 esc\x1b del\x7f", "bell esc del"),
    ("tab\tand\nnewline", "tab\tand\nnewline"),
    ("crlf\r\nline\rold-mac", "crlf\nline\nold-mac"),
    ("ünïcødé 🎉", "ünïcødé 🎉"),
]


@pytest.mark.parametrize(("source", "expected"), RENDER_CASES)
def test_render(source: str, expected: str) -> None:
    """render() produces exactly the expected HTML."""
    assert render(source) == expected


@pytest.mark.parametrize(("html", "expected"), CLEAN_CASES)
def test_clean(html: str, expected: str) -> None:
    """clean() produces exactly the expected HTML."""
    assert clean(html) == expected


@pytest.mark.parametrize(("text", "expected"), NORMALIZE_CASES)
def test_normalize_source(text: str, expected: str) -> None:
    """normalize_source() strips control characters and unifies newlines."""
    assert normalize_source(text) == expected


@pytest.mark.parametrize("html", [out for _, out in RENDER_CASES + CLEAN_CASES])
def test_clean_is_idempotent(html: str) -> None:
    """Cleaning already-clean output changes nothing."""
    assert clean(clean(html)) == clean(html)
    assert clean(html) == html


def test_policy_constants() -> None:
    """The allow-lists are exactly the documented policy."""
    assert ALLOWED_PROTOCOLS == {"http", "https", "mailto"}
    assert {"script", "style", "img", "iframe", "h1", "span", "div"}.isdisjoint(ALLOWED_TAGS)


def test_only_sanitize_imports_bleach() -> None:
    """The bleach import is confined to forum/text/sanitize.py."""
    root = Path(__file__).resolve().parents[2] / "forum"
    importers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "import bleach" in path.read_text() or "from bleach" in path.read_text()
    )
    assert importers == ["text/sanitize.py"]
