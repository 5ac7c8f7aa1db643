"""Per-reply fragments: each reply's card is rendered once per version of what it shows, then
joined for every viewer with their own like button and edit links put in its two slots.

A fragment's key is a digest of everything the card shows (text, author, counts, position,
relative date, language), so a changed reply simply gets a new key: nothing to invalidate. Fragments
stay in this process's memory: small, cheap to rebuild, and never stale by construction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask import current_app
from flask import g
from flask import get_template_attribute
from markupsafe import Markup
from markupsafe import escape

from forum.i18n import current_language
from forum.models import Post
from forum.security.actor import Actor
from forum.services import authoring
from forum.services.tree import ThreadNode
from forum.web.actor import current_actor
from forum.web.caching.store import MemoryStore
from forum.web.caching.store import Store
from forum.web.filters import age_shown
from forum.web.filters import request_site_settings

TEMPLATE = "_partials/reply.html"
LIKE_SLOT = "<!--porch:like-->"
OWN_SLOT = "<!--porch:own-->"
# Where a kept copy's CSRF token goes.
TOKEN_SLOT = "porch-csrf-token-slot-7c1e"  # nosec B105  # a placeholder's text, no secret
LEAVE_SLOTS = "porch_leave_slots"  # `g` flag: cards keep their slots (see reply_lists.py)
_SENTINEL_ID = 987_654_321  # stands for the reply's id in the like button rendered once
_SENTINEL_ID_TEXT = str(_SENTINEL_ID)
_SENTINEL_NAME = "porch-sentinel-author-name"
_FRAGMENT_SECONDS = 3600


@dataclass
class _StandIn:
    """Just enough of a reply to render its like button and edit links once per request."""

    id: int = _SENTINEL_ID
    author_name: str = _SENTINEL_NAME


def make_fragment_store(config: Any) -> Store:
    return MemoryStore[bytes](int(config["FRAGMENT_CACHE_MAX_BYTES"]))


def reply_card_html(node: ThreadNode, post: Post, on_page: int, closed: bool) -> Markup:
    """The card of one reply, from its cached fragment, with this viewer's controls in it."""
    # Bandit's B704 is silenced here: every piece is HTML our autoescaping templates rendered
    # (the fragment store is this process's memory, which no visitor can write to).
    render = get_template_attribute(TEMPLATE, "reply_card")
    if node.placeholder or node.held:
        return Markup(render(node, post, on_page, closed))  # nosec B704
    if not g.get(LEAVE_SLOTS) and not current_app.config["FRAGMENT_CACHE"]:
        return Markup(render(node, post, on_page, closed))  # nosec B704
    html = _fragment(node, post, on_page, closed)
    if g.get(LEAVE_SLOTS):  # a whole reply list is being cached: viewers fill slots later
        return Markup(html)  # nosec B704
    before, rest = html.split(LIKE_SLOT, 1)
    middle, after = rest.split(OWN_SLOT, 1)
    joined = "".join((before, _like_button(node), middle, _own_actions(node), after))
    return Markup(joined)  # nosec B704


def _fragment(node: ThreadNode, post: Post, on_page: int, closed: bool) -> str:
    """The card with its two slots, from the fragment store when it is on."""
    render = get_template_attribute(TEMPLATE, "reply_card")
    if not current_app.config["FRAGMENT_CACHE"]:
        return str(render(node, post, on_page, closed, as_fragment=True))
    key = _key(node, post, on_page, closed)
    store: Store = current_app.extensions["porch_fragment_cache"]
    cached = store.get_many([key])[0]
    if cached is not None:
        return cached.decode()
    html = str(render(node, post, on_page, closed, as_fragment=True))
    store.set(key, html.encode(), _FRAGMENT_SECONDS)
    return html


def _key(node: ThreadNode, post: Post, on_page: int, closed: bool) -> str:
    reply, author = node.reply, node.reply.author
    who = (
        f"{author.id}|{author.display_name}|{author.role}|{author.avatar_url}"
        if author is not None
        else f"{reply.guest_name}|{reply.guest_email}|{reply.guest_url}"
    )
    shown = (
        f"{reply.id}|{node.number}|{node.in_reply_to}|{on_page}|{closed}|{post.slug}|"
        f"{reply.edited_at}|{reply.locked_at}|{reply.like_count}|"
        f"{age_shown(reply.created_at)}|{request_site_settings().time_zone}|{who}|"
        f"{language()}|"
    )
    digest = hashlib.blake2b((shown + reply.body_html).encode(), digest_size=16)
    return "reply|" + digest.hexdigest()


def language() -> str:
    """The page's language, read once per request (every reply's key has it)."""
    if "porch_fragment_language" not in g:
        g.porch_fragment_language = current_language()
    found: str = g.porch_fragment_language
    return found


def _like_button(node: ThreadNode) -> str:
    """The viewer's like or unlike button: rendered once per request, then only substituted."""
    if node.own:
        return ""
    return like_button(node.liked, node.reply.id, _name_html(node))


def like_button(liked: bool, reply_id: int, name_html: str) -> str:
    return _filled("like_form", liked, reply_id, name_html)


def _own_actions(node: ThreadNode) -> str:
    """Edit and Delete, only where this viewer may use them (their own, or a moderator)."""
    actor = viewer()
    edit = authoring.may_edit(actor, node.reply, edit_window)
    delete = authoring.may_delete(actor, node.reply, edit_window)
    return own_links(edit, delete, node.reply.id, _name_html(node))


def own_links(edit: bool, delete: bool, reply_id: int, name_html: str) -> str:
    if not (edit or delete):
        return ""
    return _filled("own_links", (edit, delete), reply_id, name_html)


def _name_html(node: ThreadNode) -> str:
    return str(escape(node.reply.author_name))


def viewer() -> Actor:
    """One Actor per request, not two per reply."""
    actor: Actor | None = g.get("porch_viewer")
    if actor is None:
        actor = g.porch_viewer = current_actor()
    return actor


def edit_window() -> timedelta:
    """Read once per request (the same `g` entry the edit links' own helper uses)."""
    if "edit_window" not in g:
        g.edit_window = authoring.edit_window()
    window: timedelta = g.edit_window
    return window


def unliked_button_parts(reply_id: int, name_html: str) -> list[str]:
    """The "Like" button split where the CSRF token goes, for HTML kept beyond this request."""
    parts: list[str] | None = g.get("porch_like_parts")
    if parts is None:
        render = get_template_attribute(TEMPLATE, "like_form")
        parts = g.porch_like_parts = with_token_slot(lambda: str(render(_StandIn(), False)))
    return [_substituted(part, reply_id, name_html) for part in parts]


def with_token_slot(render: Callable[[], str]) -> list[str]:
    """What `render` makes, split where it put this request's CSRF token."""
    field = current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")
    token = g.pop(field, None)
    setattr(g, field, TOKEN_SLOT)  # Flask-WTF's generate_csrf returns what `g` holds
    try:
        return render().split(TOKEN_SLOT)
    finally:
        g.pop(field, None)
        if token is not None:
            setattr(g, field, token)


def _filled(macro: str, variant: Any, reply_id: int, name_html: str) -> str:
    """A small macro rendered once per request and variant for a stand-in reply, then given
    this reply's id and name by substitution: joining strings, not rendering, per reply."""
    rendered: dict[tuple[str, Any], str] = g.setdefault("porch_stand_ins", {})
    html = rendered.get((macro, variant))
    if html is None:
        arguments = variant if isinstance(variant, tuple) else (variant,)
        html = str(get_template_attribute(TEMPLATE, macro)(_StandIn(), *arguments))
        rendered[(macro, variant)] = html
    return _substituted(html, reply_id, name_html)


def _substituted(html: str, reply_id: int, name_html: str) -> str:
    return html.replace(_SENTINEL_ID_TEXT, str(reply_id)).replace(_SENTINEL_NAME, name_html)
