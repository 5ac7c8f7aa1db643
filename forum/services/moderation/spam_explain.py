"""The spam score in words: which features moved it most, for the decision trace.

Token contributions (log-odds, positive towards spam) are grouped into things a moderator
recognises ("links to 2 domains marked spam before", "text seen 3 times today") and the three
groups that moved the score most are named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from forum.services.moderation.spam_model import Counts

TOP = 3
LANGUAGES = {
    "en": "English", "de": "German", "fr": "French", "es": "Spanish", "nl": "Dutch",
    "it": "Italian", "pt": "Portuguese", "cyrillic": "Cyrillic script", "cjk": "CJK script",
    "unknown": "no language recognised",
}  # fmt: skip
SHAPES = {
    "shape:short": "a very short text",
    "shape:long": "a very long text",
    "shape:all_caps_words": "words in capitals",
    "shape:money": "mentions money",
    "shape:dosage": "mentions a dose",
    "shape:exclaims": "exclamation marks",
    "shape:personal": "written in the first person",
    "markup:heavy": "heavy markup",
    "markup:some": "some markup",
    "markup:none": "no markup",
    "account:yes": "posted from an account",
    "account:no": "posted as a guest",
    "has_url:yes": "gave a website",
    "link:bare": "links to a bare domain",
    "link:path": "links to a page",
    "has_url:no": "gave no website",
    "name:none": "no name given",
    "name:has_digits": "digits in the name",
    "name:keywordy": "a name made of sales words",
    "name:long": "a long name",
    "name:url_like": "a name like a web address",
    "linkhost:unseen": "links to a domain no moderator has seen",
}


@dataclass
class _Group:
    weight: float = 0.0
    items: list[tuple[float, str]] = field(default_factory=list)

    def add(self, weight: float, item: str) -> None:
        self.weight += weight
        self.items.append((weight, item))


def explain(
    moved: Mapping[str, float], rows: Mapping[str, Counts], *, repeats: int = 0
) -> list[str]:
    """The TOP reasons for a score, strongest first, each with its weight in log-odds."""
    groups: dict[str, _Group] = {}
    for token, weight in moved.items():
        key, item = _group_of(token, weight)
        groups.setdefault(key, _Group()).add(weight, item)
    ranked = sorted(groups.items(), key=lambda pair: -abs(pair[1].weight))[:TOP]
    return [f"{_words(key, group, rows, repeats)} ({_way(group.weight)})" for key, group in ranked]


def _way(weight: float) -> str:
    return "→ spam" if weight > 0 else "→ not spam"


def _group_of(token: str, weight: float) -> tuple[str, str]:
    """Which reason a token belongs to, and what it shows of it."""
    kind, _, value = token.partition(":")
    towards = "spam" if weight > 0 else "ham"
    if not value:
        return "words", token
    if kind == "host":
        return f"domains-{towards}", value
    if kind in {"email", "user", "ip", "net"}:
        return f"author-{kind}", token
    if kind == "g":
        return "spelling", token
    return token, token


def _words(key: str, group: _Group, rows: Mapping[str, Counts], repeats: int) -> str:
    """A group of features in words."""
    if key == "words":
        top = sorted(group.items, key=lambda pair: -abs(pair[0]))[:3]
        return "words " + ", ".join(f"“{item}”" for _, item in top)
    if key.startswith("domains-"):
        count, label = len(group.items), "spam" if key.endswith("spam") else "not spam"
        return f"links to {count} domain{'s' * (count != 1)} marked {label} before"
    if key.startswith("author-"):
        return _author_words(key.removeprefix("author-"), group.items[0][1], rows)
    if key == "spelling":
        return f"spelling patterns seen in {'spam' if group.weight > 0 else 'honest replies'}"
    if key.startswith("repeat:"):
        return f"text seen {repeats or key.removeprefix('repeat:')} times today"
    if key.startswith("lang:"):
        return f"written in {LANGUAGES.get(key.removeprefix('lang:'), key)}"
    if key.startswith("links:"):
        return f"{key.removeprefix('links:')} links"
    if key.startswith("emaildomain:"):
        return f"an email address at {key.removeprefix('emaildomain:')}"
    if key.startswith("hostword:"):
        return f"“{key.removeprefix('hostword:')}” in a linked domain"
    return SHAPES.get(key, key.replace(":", " ").replace("_", " "))


def _author_words(kind: str, token: str, rows: Mapping[str, Counts]) -> str:
    """The author's history: how moderators decided this email, account or address before."""
    spam, ham = rows.get(token, (0, 0))
    who = {"email": "this email", "user": "this account", "ip": "this address"}.get(
        kind, "this address range"
    )
    return f"{who}: {spam} marked spam, {ham} approved before"
