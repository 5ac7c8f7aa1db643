"""Search hits as the page shows them: escaped snippets with `<mark>`, and links to each hit."""

from __future__ import annotations

from dataclasses import dataclass

from flask import url_for
from markupsafe import Markup
from markupsafe import escape

from forum.services.search import Hit
from forum.services.search.backends import START
from forum.services.search.backends import STOP


def marked(snippet: str) -> Markup:
    """Escape the snippet's text, then turn the engine's markers (and only them) into <mark>."""
    text = str(escape(snippet))
    if text.count(START) != text.count(STOP):  # never leave a <mark> open
        html = text.replace(START, "").replace(STOP, "")
    else:
        html = text.replace(START, "<mark>").replace(STOP, "</mark>")
    return Markup(html)  # nosec B704  # escaped above; only our <mark> was added


@dataclass(frozen=True)
class HitView:
    hit: Hit
    url: str
    snippet: Markup

    @property
    def is_post(self) -> bool:
        return self.hit.reply_id is None


def present(hit: Hit, moderation: bool = False) -> HitView:
    if hit.reply_id is None:
        url = url_for("threads.show", slug=hit.post_slug)
    elif moderation:
        url = url_for("moderation.item", reply_id=hit.reply_id)
    else:
        url = url_for("threads.permalink", slug=hit.post_slug, reply_id=hit.reply_id)
        url += f"#c{hit.reply_id}"
    return HitView(hit, url, marked(hit.snippet))
