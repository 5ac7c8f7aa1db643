"""Table-driven tests for articles: a richer allow-list than replies, the same sanitiser."""

from __future__ import annotations

import pytest

from forum.text.render import excerpt_of
from forum.text.render import render
from forum.text.render import render_article
from forum.text.sanitize import clean_article

REL = 'rel="noopener"'
TABLE = "| a | b |\n|--:|---|\n| 1 | 2 |"
TABLE_HTML = (
    "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n"
    "<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>"
)

# Markdown source -> exact output of render_article().
ARTICLE_CASES: list[tuple[str, str]] = [
    ("", ""),
    ("# Title", "<h1>Title</h1>"),
    ("### Three", "<h3>Three</h3>"),
    ("Title\n=====", "<h1>Title</h1>"),
    ("one\ntwo", "<p>one\ntwo</p>"),
    ("---", "<hr>"),
    (
        "![a cat](https://example.org/cat.jpg)",
        '<p><img src="https://example.org/cat.jpg" alt="a cat"></p>',
    ),
    (
        '![c](https://example.org/c.png "T")',
        '<p><img src="https://example.org/c.png" alt="c" title="T"></p>',
    ),
    ("![http](http://example.org/a.png)", "<p></p>"),
    ("![relative](/static/a.png)", "<p></p>"),
    ("![proto](//example.org/a.png)", "<p></p>"),
    ("![data](data:image/png;base64,AAAA)", "<p></p>"),
    (TABLE, TABLE_HTML),
    ("[x](https://example.org)", f'<p><a href="https://example.org" {REL}>x</a></p>'),
    (
        "see https://example.org",
        f'<p>see <a href="https://example.org" {REL}>https://example.org</a></p>',
    ),
    ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
    ("~~gone~~ **b**", "<p><s>gone</s> <strong>b</strong></p>"),
]

# Raw HTML in an article -> exact output of clean_article().
CLEAN_CASES: list[tuple[str, str]] = [
    ("<script>alert(1)</script><p>x</p>", "<p>x</p>"),
    ("<style>p { color: red }</style><p>x</p>", "<p>x</p>"),
    ('<h2 onclick="x()" id="h" class="c" style="color:red">H</h2>', "<h2>H</h2>"),
    (
        '<img src="https://example.org/a.png" onerror="alert(1)">',
        '<img src="https://example.org/a.png">',
    ),
    ('<img src="javascript:alert(1)">', ""),
    ('<img src="data:image/png;base64,AAAA">', ""),
    ('<img src="http://example.org/a.png" alt="x">', ""),
    ("<img alt=no-src>", ""),
    ('<img src=" https://example.org/a.png">', '<img src=" https://example.org/a.png">'),
    ('<img src="HTTPS://example.org/a.png">', '<img src="HTTPS://example.org/a.png">'),
    (
        '<table><tr><td colspan="2" style="x">c</td><th scope="col" align="right">h</th></tr>'
        "</table>",
        '<table><tbody><tr><td colspan="2">c</td><th scope="col">h</th></tr></tbody></table>',
    ),
    ('<iframe src="https://example.org"></iframe>', ""),
    (
        '<a href="https://example.org" target="_blank" onmouseover="x">a</a>',
        f'<a href="https://example.org" {REL}>a</a>',
    ),
    ('<svg><circle onload="x"/></svg>', ""),
    ('<form action="/x"><input name="y"></form>', ""),
]


@pytest.mark.parametrize(("source", "expected"), ARTICLE_CASES)
def test_render_article_gives_the_expected_html(source: str, expected: str) -> None:
    assert render_article(source) == expected


@pytest.mark.parametrize(("html", "expected"), CLEAN_CASES)
def test_clean_article_strips_what_articles_may_not_have(html: str, expected: str) -> None:
    cleaned = clean_article(html)
    assert cleaned == expected
    assert "onerror" not in cleaned and "style=" not in cleaned and "script" not in cleaned


@pytest.mark.parametrize("source", ["# Heading", TABLE, "![a](https://example.org/a.png)", "---"])
def test_replies_still_get_the_narrow_allow_list(source: str) -> None:
    html = render(source)
    assert not any(tag in html for tag in ("<h1", "<table", "<img", "<hr"))


@pytest.mark.parametrize(
    ("html", "limit", "expected"),
    [
        ("<h1>Title</h1>\n<p>Short &amp; sweet.</p>", 200, "Title Short & sweet."),
        ("<p>one two three four</p>", 12, "one two…"),
        ("<p>" + "x" * 30 + "</p>", 10, "x" * 9 + "…"),
        ("<p>Ends, with a comma, here</p>", 16, "Ends, with a…"),
    ],
)
def test_excerpt_of_cuts_at_a_word(html: str, limit: int, expected: str) -> None:
    assert excerpt_of(html, limit) == expected
