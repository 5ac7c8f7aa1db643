"""Spam filter features: the tokens a comment is judged by (words, links, author, shape).

Pure functions, shared by the stored model (spam.py) and the in-memory one (spam_model.py).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from collections.abc import Sequence
from typing import NamedTuple
from urllib.parse import urlsplit

from forum.services.moderation.spam_text import char_grams
from forum.services.moderation.spam_text import language
from forum.services.moderation.spam_text import markup_density

MAX_TOKEN_LENGTH = 120  # width of SpamToken.token
MAX_WORDS = 300  # distinct words kept from one text: bounds the size of the token query
URL_RE = re.compile(r"https?://[^\s<>()\[\]{}\"'`]+", re.IGNORECASE)
WORD_RE = re.compile(r"[^\W_]+")
MONEY_RE = re.compile(
    r"[$€£]\s?\d|\d\s?[$€£]|\b\d+\s?(?:usd|eur|gbp|dollars|euros|pounds)\b", re.IGNORECASE
)
DOSAGE_RE = re.compile(r"\b\d+(?:\.\d+)?\s?(?:mg|mcg|ml)\b", re.IGNORECASE)
CAPS_RE = re.compile(r"\b[A-Z]{4,}\b")
PERSONAL_RE = re.compile(r"\b(?:i|i'm|i've|i'd|me|my|myself)\b", re.IGNORECASE)
NAME_URL_RE = re.compile(r"https?:|www\.|\.(?:com|net|org|xyz|info|biz)\b", re.IGNORECASE)
STOPWORDS = frozenset(
    "the and or of to in on for is it its this that with as at be was are by from an "
    "but if so do am has have had were been".split()
)
KEYWORDY = frozenset(
    "casino loan loans seo cheap buy pills pharmacy crypto bitcoin bet betting forex viagra "
    "cialis replica essay marketing agency discount deals dating payday cash slots poker "
    "backlinks traffic followers coupons supplements".split()
)
UNSEEN_HOST = "linkhost:unseen"  # context: links to a domain no decision has mentioned yet
# Context: the same text seen once, twice or more, ten times or more in the last day.
REPEAT_ONCE, REPEAT_TWICE, REPEAT_TEN = "repeat:1", "repeat:2+", "repeat:10+"
CONTEXT_TOKENS = (UNSEEN_HOST, REPEAT_ONCE, REPEAT_TWICE, REPEAT_TEN)
PLAIN_LABELS = frozenset({"www", "com", "org", "net", "gov", "edu", "co", "ac"})


class Example(NamedTuple):
    """A labelled comment: the seed set and moderator decisions both take this shape."""

    text: str
    name: str | None
    email: str | None
    url: str | None
    has_account: bool
    is_spam: bool
    account_id: int | None = None
    ip: str | None = None
    context: tuple[str, ...] = ()  # tokens from the site at posting time, e.g. "repeat:2+"


def features(
    text: str,
    *,
    name: str | None,
    email: str | None,
    url: str | None,
    has_account: bool,
    link_count: int | None = None,
    account_id: int | None = None,
    ip: str | None = None,
    context: tuple[str, ...] = (),
) -> list[str]:
    """Unique, sorted tokens of a comment; link_count overrides counting http(s) URLs in text."""
    links = URL_RE.findall(text)
    prose = URL_RE.sub(" ", text)
    count = len(links) if link_count is None else link_count
    tokens = [
        *_words(prose),
        *char_grams(prose),
        *_link_tokens(links, count),
        *_author_tokens(name, email, url, has_account),
        *_identity_tokens(email, account_id, ip),
        *_shape_tokens(text, prose),
        markup_density(text, count),
        f"lang:{language(prose)}",
        *context,
    ]
    return sorted({token[:MAX_TOKEN_LENGTH] for token in tokens})


def example_features(example: Example) -> list[str]:
    """Tokens of a labelled example."""
    return features(
        example.text,
        name=example.name,
        email=example.email,
        url=example.url,
        has_account=example.has_account,
        account_id=example.account_id,
        ip=example.ip,
        context=example.context,
    )


def _identity_tokens(email: str | None, account_id: int | None, ip: str | None) -> Iterator[str]:
    """Who wrote it: the learned counts of these are the author's history of decisions."""
    if email and "@" in email:
        yield f"email:{email.strip().lower()}"
    if account_id is not None:
        yield f"user:{account_id}"
    if ip:
        yield f"ip:{ip}"
        if ip.count(".") == 3:
            yield f"net:{ip.rsplit('.', 1)[0]}"


def hosts_of(text: str) -> list[str]:
    """The `host:` tokens of the links in a text, for deciding whether each was seen before."""
    return [t for link in URL_RE.findall(text) for t in _host_tokens(link) if t.startswith("host:")]


def _words(text: str) -> list[str]:
    """Distinct lower-cased words, in order of first appearance, capped at MAX_WORDS."""
    kept: dict[str, None] = {}
    for match in WORD_RE.finditer(text.lower()):
        word = match.group()
        if 2 <= len(word) <= 30 and word not in STOPWORDS:
            kept[word] = None
            if len(kept) >= MAX_WORDS:
                break
    return list(kept)


def _link_tokens(links: Sequence[str], count: int) -> Iterator[str]:
    """Link count buckets, and each link's host and whether it points at a bare domain."""
    yield "links:1" if count == 1 else "links:0" if count == 0 else "links:2+"
    if count >= 5:
        yield "links:5+"
    for link in links:
        yield from _host_tokens(link, with_path=True)


def _host_tokens(link: str, *, with_path: bool = False) -> Iterator[str]:
    """A link's host, without www., and the words of its name before the top-level domain."""
    try:
        parts = urlsplit(link if "://" in link else f"http://{link}")
        host = parts.hostname
    except ValueError:  # e.g. a host that is invalid under NFKC normalisation
        return
    if not host:
        return
    if with_path:
        yield "link:bare" if parts.path.strip("/") == "" else "link:path"
    host = host.removeprefix("www.")
    yield f"host:{host}"
    for label in re.split(r"[.-]", host)[:-1]:  # the last label is the top-level domain
        if len(label) >= 3 and label not in PLAIN_LABELS and not label.isdigit():
            yield f"hostword:{label}"


def _author_tokens(
    name: str | None, email: str | None, url: str | None, has_account: bool
) -> Iterator[str]:
    """Account, website, email domain and name shape of the author."""
    yield f"account:{'yes' if has_account else 'no'}"
    yield f"has_url:{'yes' if url else 'no'}"
    if url:
        yield from _host_tokens(url)
    if email and "@" in email:
        yield f"emaildomain:{email.rsplit('@', 1)[1].strip().lower()}"
    yield from _name_tokens(name)


def _name_tokens(name: str | None) -> Iterator[str]:
    """Shape of the author's name: missing, digits, spammy keywords, long, URL-like."""
    if not name or not name.strip():
        yield "name:none"
        return
    words = WORD_RE.findall(name.lower())
    squashed = "".join(words)
    if any(char.isdigit() for char in name):
        yield "name:has_digits"
    if any(word in KEYWORDY for word in words) or any(
        len(key) >= 5 and key in squashed for key in KEYWORDY
    ):
        yield "name:keywordy"
    if len(words) > 3:
        yield "name:long"
    if NAME_URL_RE.search(name):
        yield "name:url_like"


def _shape_tokens(text: str, prose: str) -> Iterator[str]:
    """Length, shouting, money, dosages, exclamations and first-person voice."""
    word_count = len(WORD_RE.findall(prose))
    if word_count < 8:
        yield "shape:short"
    elif word_count > 150:
        yield "shape:long"
    if len(CAPS_RE.findall(text)) >= 2:
        yield "shape:all_caps_words"
    if MONEY_RE.search(text):
        yield "shape:money"
    if DOSAGE_RE.search(text):
        yield "shape:dosage"
    if text.count("!") >= 2:
        yield "shape:exclaims"
    if PERSONAL_RE.search(text):
        yield "shape:personal"
