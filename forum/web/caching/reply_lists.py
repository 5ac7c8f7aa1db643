"""A thread page's whole reply list, rendered once per version of the post and shared by every
viewer; each viewer's like buttons and edit links are put into its slots by joining strings.

The key holds everything the list shows beside the post's version (which rises with any change to
its replies, likes, authors shown and settings): sort, page, language, closed or not, time zone.
Relative dates change with time, so an entry also lapses when the first of its dates would read
differently. A viewer with a held reply in the post sees a list of their own (held replies are
numbered and shown to their author only): they, and unpublished previews, take the full path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import current_app
from flask import g
from flask import request
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from markupsafe import escape

from forum.models import Post
from forum.models.base import utcnow
from forum.services import threads
from forum.services.threads import SortOrder
from forum.services.threads import ThreadPage
from forum.services.tree import ThreadNode
from forum.services.viewer_replies import ViewerReplies
from forum.services.viewer_replies import controls
from forum.services.viewer_replies import viewer_replies
from forum.web.caching import fragments
from forum.web.caching import remembered
from forum.web.caching.fragments import LEAVE_SLOTS
from forum.web.caching.fragments import LIKE_SLOT
from forum.web.caching.fragments import OWN_SLOT
from forum.web.caching.store import MemoryStore
from forum.web.filters import age_shown_until
from forum.web.filters import request_site_settings
from forum.web.presenters import render_nodes

_SLOTS = re.compile(f"({re.escape(LIKE_SLOT)}|{re.escape(OWN_SLOT)})")
_SECONDS = 3600


@dataclass(frozen=True)
class _Entry:
    # The list's HTML, then per card: its "Like" button around a CSRF token (3 parts), HTML, its
    # edit links (none by default), HTML. A viewer changes a few parts and joins them.
    parts: tuple[str, ...]
    cards: tuple[tuple[int, str], ...]  # (reply id, escaped author name) of each slotted card
    places: dict[int, int]  # reply id -> its card's index
    root_ids: tuple[int, ...]
    reply_count: int
    has_next: bool
    valid_until: datetime  # the first relative date on the list would then read differently

    def __len__(self) -> int:
        return sum(map(len, self.parts)) + 64 * len(self.cards)


class StalePost(Exception):
    """The post's version moved past the one the page was being put together for (a change
    committed elsewhere, not yet heard of): read the post afresh and start again."""


def make_store(config: Any) -> MemoryStore[_Entry]:
    return MemoryStore[_Entry](int(config["REPLY_LIST_CACHE_MAX_BYTES"]))


def thread_replies(
    post: Post, sort: SortOrder, page: int, closed: str | None, check_version: bool = False
) -> tuple[ThreadPage, Markup]:
    """One page of the post's replies for this viewer, and their list items' HTML.

    With `check_version` (the post is a remembered copy), StalePost if the post's version
    read with the viewer's state is not the copy's."""
    if not current_app.config["REPLY_LIST_CACHE"] or not post.is_live():
        return _uncached(post, sort, page, closed)
    key = _key(post, sort, page, closed)
    entry = _store().get_many([key])[0]
    if entry is None or utcnow() >= entry.valid_until:
        return _rendered(key, post, sort, page, closed)
    mine = viewer_replies(fragments.viewer(), post, entry.root_ids, remembered.reader())
    if check_version and mine is not None and mine.post_version not in (None, post.version):
        raise StalePost  # a remembered copy of the post, older than the database
    if mine is None:  # a held reply of theirs: their own numbering and cards
        return _uncached(post, sort, page, closed)
    thread = ThreadPage(post, [], entry.reply_count, sort, page, entry.has_next)
    return thread, _filled(entry, mine)


def _rendered(
    key: str, post: Post, sort: SortOrder, page: int, closed: str | None
) -> tuple[ThreadPage, Markup]:
    """A miss: load and render the list with slots, keep it if shareable, fill it."""
    thread = _load(post, sort, page)
    entry = None if thread.viewer_holds else _render(thread, closed)
    if entry is None:
        return thread, render_nodes(thread.nodes, post, closed=closed)
    _store().set(key, entry, _SECONDS)
    mine = ViewerReplies(own=_own_nodes(thread.nodes), liked=_liked_nodes(thread.nodes))
    return thread, _filled(entry, mine)


def _store() -> MemoryStore[_Entry]:
    found: MemoryStore[_Entry] = current_app.extensions["porch_reply_list_cache"]
    return found


def _uncached(
    post: Post, sort: SortOrder, page: int, closed: str | None
) -> tuple[ThreadPage, Markup]:
    thread = _load(post, sort, page)
    return thread, render_nodes(thread.nodes, thread.post, closed=closed)


def _load(post: Post, sort: SortOrder, page: int) -> ThreadPage:
    config = current_app.config
    per_page, max_depth = config["REPLIES_PER_PAGE"], config["MAX_DEPTH"]
    return threads.load_thread(post, fragments.viewer(), sort, page, per_page, max_depth)


def _render(thread: ThreadPage, closed: str | None) -> _Entry | None:
    """The list with its slots left in, split at them; None if the slots are not as expected."""
    g.setdefault(LEAVE_SLOTS, True)
    try:
        html = str(render_nodes(thread.nodes, thread.post, closed=closed))
    finally:
        g.pop(LEAVE_SLOTS, None)
    cards = tuple((n.reply.id, str(escape(n.reply.author_name))) for n in _slotted(thread.nodes))
    pieces = _SLOTS.split(html)
    if pieces[1::2] != [LIKE_SLOT, OWN_SLOT] * len(cards):  # e.g. a marker in a reply: no
        return None
    parts = [pieces[0]]
    for index, (reply_id, name) in enumerate(cards):
        like = fragments.unliked_button_parts(reply_id, name)
        if len(like) != 2:  # no CSRF token in the button (or two): nowhere to put one
            return None
        parts += (like[0], "", like[1], pieces[4 * index + 2], "", pieces[4 * index + 4])
    now = utcnow()
    dates = [age_shown_until(n.reply.created_at, now) for n in _walk(thread.nodes)]
    return _Entry(
        parts=tuple(parts),
        cards=cards,
        places={reply_id: index for index, (reply_id, _) in enumerate(cards)},
        root_ids=tuple(node.reply.id for node in thread.nodes),
        reply_count=thread.reply_count,
        has_next=thread.has_next,
        valid_until=min(dates, default=now),
    )


def _filled(entry: _Entry, mine: ViewerReplies) -> Markup:
    """The cached list with this viewer's like buttons and edit links in its slots."""
    actor, window = fragments.viewer(), fragments.edit_window
    parts = list(entry.parts)
    parts[2::6] = [generate_csrf()] * len(entry.cards)
    others = controls(actor, None, window)  # moderators: edit links on every reply
    if any(others):
        for index, (reply_id, name) in enumerate(entry.cards):
            parts[6 * index + 5] = fragments.own_links(*others, reply_id, name)
    for reply_id in mine.liked:
        if (place := entry.places.get(reply_id)) is not None:
            like = fragments.like_button(True, reply_id, entry.cards[place][1])
            parts[6 * place + 1 : 6 * place + 4] = (like, "", "")
    for reply_id, reply in mine.own.items():
        if (place := entry.places.get(reply_id)) is not None:
            links = fragments.own_links(*controls(actor, reply, window), *entry.cards[place])
            parts[6 * place + 1 : 6 * place + 4] = ("", "", "")  # nobody likes their own
            parts[6 * place + 5] = links
    # Bandit's B704: the parts are HTML our autoescaping templates rendered, kept in memory.
    return Markup("".join(parts))  # nosec B704


def _key(post: Post, sort: SortOrder, page: int, closed: str | None) -> str:
    config = current_app.config
    return (
        f"replies|{post.id}|{post.version}|{sort.value}|{page}|{fragments.language()}|"
        f"{closed}|{request_site_settings().time_zone}|{config['REPLIES_PER_PAGE']}|"
        f"{config['MAX_DEPTH']}|{request.script_root}"
    )


def _walk(nodes: list[ThreadNode]) -> list[ThreadNode]:
    """Every node in page order: each card before its replies."""
    found: list[ThreadNode] = []
    for node in nodes:
        found.append(node)
        found.extend(_walk(node.children))
    return found


def _slotted(nodes: list[ThreadNode]) -> list[ThreadNode]:
    """The cards with a like slot and an own slot (not placeholders, not held replies)."""
    return [node for node in _walk(nodes) if not (node.placeholder or node.held)]


def _own_nodes(nodes: list[ThreadNode]) -> dict[int, Any]:
    return {node.reply.id: node.reply for node in _slotted(nodes) if node.own}


def _liked_nodes(nodes: list[ThreadNode]) -> frozenset[int]:
    return frozenset(node.reply.id for node in _slotted(nodes) if node.liked)
