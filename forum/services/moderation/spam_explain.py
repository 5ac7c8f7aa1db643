"""The spam score in words: which features moved it most, for the decision trace.

Token contributions (log-odds, positive towards spam) are grouped into things a moderator
recognises ("links to 2 domains marked spam before", "text seen 3 times today") and the three
groups that moved the score most are named.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from forum.phrases import N_
from forum.phrases import Phrase
from forum.phrases import english
from forum.phrases import phrase
from forum.phrases import plural_phrase
from forum.services.moderation.spam_model import Counts

TOP = 3
# Marked with N_: stored in the trace as phrases and translated where moderators read them.
LANGUAGES = {
    "en": N_("written in English"),
    "de": N_("written in German"),
    "fr": N_("written in French"),
    "es": N_("written in Spanish"),
    "nl": N_("written in Dutch"),
    "it": N_("written in Italian"),
    "pt": N_("written in Portuguese"),
    "cyrillic": N_("written in Cyrillic script"),
    "cjk": N_("written in CJK script"),
    "unknown": N_("written in no language recognised"),
}
SHAPES = {
    "shape:short": N_("a very short text"),
    "shape:long": N_("a very long text"),
    "shape:all_caps_words": N_("words in capitals"),
    "shape:money": N_("mentions money"),
    "shape:dosage": N_("mentions a dose"),
    "shape:exclaims": N_("exclamation marks"),
    "shape:personal": N_("written in the first person"),
    "markup:heavy": N_("heavy markup"),
    "markup:some": N_("some markup"),
    "markup:none": N_("no markup"),
    "account:yes": N_("posted from an account"),
    "account:no": N_("posted as a guest"),
    "has_url:yes": N_("gave a website"),
    "link:bare": N_("links to a bare domain"),
    "link:path": N_("links to a page"),
    "has_url:no": N_("gave no website"),
    "name:none": N_("no name given"),
    "name:has_digits": N_("digits in the name"),
    "name:keywordy": N_("a name made of sales words"),
    "name:long": N_("a long name"),
    "name:url_like": N_("a name like a web address"),
    "linkhost:unseen": N_("links to a domain no moderator has seen"),
}
_HISTORY = {
    "email": N_("this email: %(spam)d marked spam, %(ham)d approved before"),
    "user": N_("this account: %(spam)d marked spam, %(ham)d approved before"),
    "ip": N_("this address: %(spam)d marked spam, %(ham)d approved before"),
    "net": N_("this address range: %(spam)d marked spam, %(ham)d approved before"),
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
    return [english(reason) for reason in explain_phrases(moved, rows, repeats=repeats)]


def explain_phrases(
    moved: Mapping[str, float], rows: Mapping[str, Counts], *, repeats: int = 0
) -> list[Phrase]:
    """The reasons of `explain` as phrases, to be stored and translated where shown."""
    groups: dict[str, _Group] = {}
    for token, weight in moved.items():
        key, item = _group_of(token, weight)
        groups.setdefault(key, _Group()).add(weight, item)
    ranked = sorted(groups.items(), key=lambda pair: -abs(pair[1].weight))[:TOP]
    return [_way(_words(key, group, rows, repeats), group.weight) for key, group in ranked]


def _way(reason: Phrase, weight: float) -> Phrase:
    if weight > 0:
        return phrase(N_("%(reason)s (→ spam)"), reason=reason)
    return phrase(N_("%(reason)s (→ not spam)"), reason=reason)


def _group_of(token: str, weight: float) -> tuple[str, str]:
    """Which reason a token belongs to, and what it shows of it."""
    kind, _sep, value = token.partition(":")
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


def _words(key: str, group: _Group, rows: Mapping[str, Counts], repeats: int) -> Phrase:
    """A group of features in words."""
    if key == "words":
        top = sorted(group.items, key=lambda pair: -abs(pair[0]))[:3]
        return phrase(N_("words %(words)s"), words=", ".join(f"“{item}”" for _w, item in top))
    if key.startswith("domains-"):
        return _domains(len(group.items), key.endswith("spam"))
    if key.startswith("author-"):
        return _author_words(key.removeprefix("author-"), group.items[0][1], rows)
    if key == "spelling":
        if group.weight > 0:
            return phrase(N_("spelling patterns seen in spam"))
        return phrase(N_("spelling patterns seen in honest replies"))
    return _feature_words(key, repeats)


def _feature_words(key: str, repeats: int) -> Phrase:
    kind, _sep, value = key.partition(":")
    if kind == "repeat":
        times = repeats or value
        return phrase(N_("text seen %(times)s times today"), times=times)
    if kind == "lang":
        return phrase(LANGUAGES.get(value, N_("written in %(language)s")), language=value)
    if kind == "links":
        return phrase(N_("%(count)s links"), count=value)
    if kind == "emaildomain":
        return phrase(N_("an email address at %(domain)s"), domain=value)
    if kind == "hostword":
        return phrase(N_("“%(word)s” in a linked domain"), word=value)
    if key in SHAPES:
        return phrase(SHAPES[key])
    return phrase(N_("%(feature)s"), feature=key.replace(":", " ").replace("_", " "))


def _domains(count: int, spam: bool) -> Phrase:
    if spam:
        return plural_phrase(
            N_("links to %(num)d domain marked spam before"),
            N_("links to %(num)d domains marked spam before"),
            count,
        )
    return plural_phrase(
        N_("links to %(num)d domain marked not spam before"),
        N_("links to %(num)d domains marked not spam before"),
        count,
    )


def _author_words(kind: str, token: str, rows: Mapping[str, Counts]) -> Phrase:
    """The author's history: how moderators decided this email, account or address before."""
    spam, ham = rows.get(token, (0, 0))
    return phrase(_HISTORY.get(kind, _HISTORY["net"]), spam=spam, ham=ham)
