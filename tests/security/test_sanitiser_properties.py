"""Properties of the one sanitiser (forum/text), over arbitrary HTML- and Markdown-ish text.

Strategies splice XSS corpus fragments with random unicode. For replies, articles and imported
HTML alike: sanitising the output again changes nothing (idempotent), and an HTML5 parser (the
same algorithm browsers use) finds only the allowed tags, attributes and URL schemes in it.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from bleach._vendor import html5lib  # the parser bleach itself uses: browsers' algorithm
from hypothesis import HealthCheck
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from forum.text.render import render
from forum.text.render import render_article
from forum.text.render import render_imported_article
from forum.text.render import render_imported_html
from forum.text.sanitize import ALLOWED_ATTRIBUTES
from forum.text.sanitize import ALLOWED_PROTOCOLS
from forum.text.sanitize import ALLOWED_TAGS
from forum.text.sanitize import ARTICLE_ATTRIBUTES
from forum.text.sanitize import ARTICLE_TAGS
from forum.text.sanitize import clean
from forum.text.sanitize import clean_article
from tests.security.xss_corpus import fragments
from tests.security.xss_corpus import payloads

XHTML = "http://www.w3.org/1999/xhtml"
URL_ATTRIBUTES = {"href", "src"}
# Text that decides how tags and URLs parse, to mix between the fragments.
SEPARATORS = ["<", ">", '"', "'", "`", "=", "&", "#", ";", ":", "/", "\n", "\n\n", " ", "\t"]

markup = st.lists(
    st.one_of(
        st.sampled_from(fragments()),
        st.sampled_from(SEPARATORS),
        st.text(max_size=12),  # any unicode, lone surrogates excluded (they cannot be stored)
    ),
    max_size=12,
).map("".join)

PROPERTY_SETTINGS = settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def parsed_elements(fragment: str) -> list[tuple[str, str, dict[str, str]]]:
    """(namespace, tag, attributes) of every element an HTML5 parser builds from the fragment."""
    tree = html5lib.parseFragment(fragment, treebuilder="etree", namespaceHTMLElements=True)
    found = []
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag == "DOCUMENT_FRAGMENT":
            continue
        namespace, _, tag = element.tag[1:].partition("}")
        found.append((namespace, tag, dict(element.attrib)))
    return found


def problems(output: str, tags: frozenset[str], attributes: dict[str, list[str]]) -> list[str]:
    """Everything in the sanitised output outside the allow-lists, as readable complaints."""
    found = []
    for namespace, tag, attrs in parsed_elements(output):
        if namespace != XHTML or tag not in tags:
            found.append(f"element {namespace}:{tag}")
            continue
        for name, value in attrs.items():
            if name not in attributes.get(tag, []):
                found.append(f"attribute {name} on <{tag}>")
            elif name in URL_ATTRIBUTES and not allowed_url(value):
                found.append(f"URL {value!r} on <{tag}>")
    return found


def allowed_url(value: str) -> bool:
    """As a browser reads it: entities already decoded by the parser, then tabs and newlines
    removed and leading/trailing C0 controls and spaces trimmed (the URL standard)."""
    cleaned = "".join(c for c in value if c not in "\t\n\r").strip(
        "\x00\x01\x02\x03\x04\x05"
        "\x06\x07\x08\x0b\x0c\x0e"
        "\x0f\x10\x11\x12\x13\x14"
        "\x15\x16\x17\x18\x19\x1a"
        "\x1b\x1c\x1d\x1e\x1f "
    )
    scheme = urlsplit(cleaned).scheme.lower()
    return scheme in ALLOWED_PROTOCOLS


REPLY = (frozenset(ALLOWED_TAGS), ALLOWED_ATTRIBUTES)
ARTICLE = (frozenset(ARTICLE_TAGS), ARTICLE_ATTRIBUTES)
PIPELINES: list[tuple[str, Callable[[str], str], Callable[[str], str], tuple]] = [
    ("reply", render, clean, REPLY),
    ("imported comment", render_imported_html, clean, REPLY),
    ("article", render_article, clean_article, ARTICLE),
    ("imported article", render_imported_article, clean_article, ARTICLE),
]


@pytest.mark.parametrize(("name", "pipeline", "sanitiser", "allowed"), PIPELINES)
def test_every_corpus_payload_comes_out_with_only_allowed_markup(
    name: str, pipeline: Callable[[str], str], sanitiser: Callable[[str], str], allowed: tuple
) -> None:
    for payload in payloads():
        output = pipeline(payload.text)
        assert problems(output, *allowed) == [], (name, payload)
        assert sanitiser(output) == output, (name, payload)


@pytest.mark.parametrize(("name", "pipeline", "sanitiser", "allowed"), PIPELINES)
@PROPERTY_SETTINGS
@given(text=markup)
def test_sanitised_output_is_stable_and_holds_only_allowed_markup(
    name: str,
    pipeline: Callable[[str], str],
    sanitiser: Callable[[str], str],
    allowed: tuple,
    text: str,
) -> None:
    output = pipeline(text)
    assert problems(output, *allowed) == []
    assert sanitiser(output) == output


@PROPERTY_SETTINGS
@given(text=markup)
def test_clean_of_raw_html_is_idempotent_and_allowed(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    assert problems(once, *REPLY) == []


def test_allowed_url_reads_schemes_as_a_browser_does() -> None:
    """The checker itself: obfuscated schemes a browser would run are caught once decoded."""
    assert not allowed_url(html.unescape("&#106;avascript:x"))
    assert not allowed_url(" \x01java\tscript:x")
    assert not allowed_url("data:text/html,x")
    assert allowed_url("https://example.org/")
