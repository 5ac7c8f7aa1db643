"""Spam classifier math: features, an in-memory naive Bayes model, and evaluation.

No database here. `spam.py` stores the same counts in `spam_token` and calls the same functions,
so the math lives once.

The model is Bernoulli-style naive Bayes over unique tokens: for each class it counts the
documents containing each token, and scores P(token present | class) with Laplace smoothing,
(count + 1) / (documents + 2). Only tokens the model has seen contribute; absent tokens are
ignored. The class prior is Laplace-smoothed too. With no documents at all the score is 0.5.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from collections.abc import Iterator
from collections.abc import Mapping
from collections.abc import Sequence
from dataclasses import dataclass
from dataclasses import field
from typing import NamedTuple
from typing import TypeVar
from urllib.parse import urlsplit

from forum.services.moderation.spam_seed import SEED

Counts = tuple[int, int]  # (spam, ham): documents of each class, in total or containing a token
T = TypeVar("T")

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
PLAIN_LABELS = frozenset({"www", "com", "org", "net", "gov", "edu", "co", "ac"})


class Example(NamedTuple):
    """A labelled comment: the seed set and moderator decisions both take this shape."""

    text: str
    name: str | None
    email: str | None
    url: str | None
    has_account: bool
    is_spam: bool


def features(
    text: str,
    *,
    name: str | None,
    email: str | None,
    url: str | None,
    has_account: bool,
    link_count: int | None = None,
) -> list[str]:
    """Unique, sorted tokens of a comment; link_count overrides counting http(s) URLs in text."""
    links = URL_RE.findall(text)
    prose = URL_RE.sub(" ", text)
    tokens = [
        *_words(prose),
        *_link_tokens(links, len(links) if link_count is None else link_count),
        *_author_tokens(name, email, url, has_account),
        *_shape_tokens(text, prose),
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
    )


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


def shift(counts: Counts, delta: Counts) -> Counts:
    """Counts plus a (possibly negative) change, never below zero."""
    return max(0, counts[0] + delta[0]), max(0, counts[1] + delta[1])


def document_delta(
    tokens: Iterable[str], *, is_spam: bool, sign: int = 1
) -> tuple[dict[str, Counts], Counts]:
    """The change one document makes to the token counts and to the totals."""
    one = (sign, 0) if is_spam else (0, sign)
    return {token: one for token in tokens}, one


def spam_probability(rows: Mapping[str, Counts], totals: Counts, tokens: Iterable[str]) -> float:
    """P(spam | tokens), summed in log space; 0.5 when the model holds no documents."""
    spam_docs, ham_docs = totals
    if spam_docs + ham_docs == 0:
        return 0.5
    log_odds = math.log((spam_docs + 1) / (ham_docs + 1))
    for token in set(tokens):
        spam, ham = rows.get(token, (0, 0))
        if spam + ham == 0:
            continue
        log_odds += math.log((spam + 1) / (spam_docs + 2)) - math.log((ham + 1) / (ham_docs + 2))
    return _sigmoid(log_odds)


def _sigmoid(x: float) -> float:
    """Logistic function that neither overflows nor underflows to an error."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


@dataclass
class SpamModel:
    """Naive Bayes counts held in memory: for tests, evaluation and seeding."""

    tokens: dict[str, Counts] = field(default_factory=dict)
    totals: Counts = (0, 0)

    @classmethod
    def trained_on(cls, examples: Iterable[Example]) -> SpamModel:
        """A fresh model trained on the examples."""
        model = cls()
        for example in examples:
            model.learn(example_features(example), is_spam=example.is_spam)
        return model

    def apply(self, deltas: Mapping[str, Counts], totals: Counts) -> None:
        """Add changes to the counts; tokens that fall back to zero are dropped."""
        for token, delta in deltas.items():
            counts = shift(self.tokens.get(token, (0, 0)), delta)
            if counts == (0, 0):
                self.tokens.pop(token, None)
            else:
                self.tokens[token] = counts
        self.totals = shift(self.totals, totals)

    def learn(self, tokens: Iterable[str], *, is_spam: bool) -> None:
        """Count one document."""
        self.apply(*document_delta(tokens, is_spam=is_spam))

    def unlearn(self, tokens: Iterable[str], *, is_spam: bool) -> None:
        """Take back one document counted by learn()."""
        self.apply(*document_delta(tokens, is_spam=is_spam, sign=-1))

    def score(self, tokens: Iterable[str]) -> float:
        """P(spam) for these tokens."""
        return spam_probability(self.tokens, self.totals, tokens)


def seed_examples() -> list[Example]:
    """The built-in seed set, as examples."""
    return [Example(*row) for row in SEED]


def split(items: Sequence[T], every: int = 5) -> tuple[list[T], list[T]]:
    """Deterministic split: every `every`-th item (by position) is held out."""
    train = [item for i, item in enumerate(items) if i % every != every - 1]
    held = [item for i, item in enumerate(items) if i % every == every - 1]
    return train, held


@dataclass(frozen=True)
class Metrics:
    """How well scores at or above `threshold`, read as spam, match the labels."""

    tp: int
    fp: int
    tn: int
    fn: int
    threshold: float

    @property
    def total(self) -> int:
        """Number of examples measured."""
        return self.tp + self.fp + self.tn + self.fn

    @property
    def precision(self) -> float:
        """Share of predicted spam that was spam; 0.0 when nothing was predicted spam."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Share of spam that was caught; 0.0 when there was no spam."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def accuracy(self) -> float:
        """Share of all examples classified right; 0.0 with no examples."""
        return (self.tp + self.tn) / self.total if self.total else 0.0


def measure(results: Iterable[tuple[float, bool]], threshold: float = 0.5) -> Metrics:
    """Metrics from (score, is_spam) pairs."""
    tp = fp = tn = fn = 0
    for probability, is_spam in results:
        predicted = probability >= threshold
        tp += predicted and is_spam
        fp += predicted and not is_spam
        tn += not predicted and not is_spam
        fn += not predicted and is_spam
    return Metrics(tp=tp, fp=fp, tn=tn, fn=fn, threshold=threshold)
