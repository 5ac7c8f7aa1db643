"""Per-reply fragments: each reply's card is rendered once per version of what it shows, then
joined for every viewer with their own like button and edit links put in its two slots.

A fragment's key is a digest of everything the card shows (text, author, counts, position,
relative date), so a changed reply simply gets a new key: nothing to invalidate. Fragments
stay in this process's memory: small, cheap to rebuild, and never stale by construction.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask import g
from flask import get_template_attribute
from markupsafe import Markup
from markupsafe import escape

from forum.models import Post
from forum.services.tree import ThreadNode
from forum.web.authoring import may_delete_reply
from forum.web.authoring import may_edit_reply
from forum.web.caching.store import MemoryStore
from forum.web.caching.store import Store
from forum.web.filters import relative_time
from forum.web.filters import request_site_settings

TEMPLATE = "_partials/reply.html"
LIKE_SLOT = "<!--porch:like-->"
OWN_SLOT = "<!--porch:own-->"
_SENTINEL_ID = 987_654_321  # stands for the reply's id in the like button rendered once
_SENTINEL_NAME = "porch-sentinel-author-name"
_FRAGMENT_SECONDS = 3600


@dataclass
class _StandIn:
    """Just enough of a reply to render the like button once per request."""

    id: int = _SENTINEL_ID
    author_name: str = _SENTINEL_NAME


def make_fragment_store(config: Any) -> Store:
    return MemoryStore(int(config["FRAGMENT_CACHE_MAX_BYTES"]))


def reply_card_html(node: ThreadNode, post: Post, on_page: int, closed: bool) -> Markup:
    """The card of one reply, from its cached fragment, with this viewer's controls in it."""
    render = get_template_attribute(TEMPLATE, "reply_card")
    if node.placeholder or node.held or not current_app.config["FRAGMENT_CACHE"]:
        return Markup(render(node, post, on_page, closed))
    key = _key(node, post, on_page, closed)
    store: Store = current_app.extensions["porch_fragment_cache"]
    cached = store.get_many([key])[0]
    if cached is None:
        html = str(render(node, post, on_page, closed, as_fragment=True))
        store.set(key, html.encode(), _FRAGMENT_SECONDS)
    else:
        html = cached.decode()
    before, rest = html.split(LIKE_SLOT, 1)
    middle, after = rest.split(OWN_SLOT, 1)
    return Markup("".join((before, _like_button(node), middle, _own_actions(node), after)))


def _key(node: ThreadNode, post: Post, on_page: int, closed: bool) -> str:
    reply, author = node.reply, node.reply.author
    shown = (
        reply.id,
        node.number,
        node.in_reply_to,
        on_page,
        closed,
        post.slug,
        reply.edited_at,
        reply.locked_at,
        reply.like_count,
        relative_time(reply.created_at),
        request_site_settings().time_zone,
        reply.guest_name,
        reply.guest_email,
        reply.guest_url,
        (author.id, author.display_name, author.role, author.avatar_url) if author else None,
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16)
    digest.update(reply.body_html.encode())
    return "reply|" + digest.hexdigest()


def _like_button(node: ThreadNode) -> str:
    """The viewer's like or unlike button: rendered once per request, then only substituted."""
    if node.own:
        return ""
    buttons: dict[bool, str] | None = g.get("porch_like_buttons")
    if buttons is None:
        render = get_template_attribute(TEMPLATE, "like_form")
        buttons = {liked: str(render(_StandIn(), liked)) for liked in (False, True)}
        g.porch_like_buttons = buttons
    reply = node.reply
    html = buttons[node.liked].replace(str(_SENTINEL_ID), str(reply.id))
    return html.replace(_SENTINEL_NAME, str(escape(reply.author_name)))


def _own_actions(node: ThreadNode) -> str:
    """Edit and Delete, only where this viewer may use them (their own, or a moderator)."""
    reply = node.reply
    if not (may_edit_reply(reply) or may_delete_reply(reply)):
        return ""
    return str(get_template_attribute(TEMPLATE, "own_actions")(reply))
