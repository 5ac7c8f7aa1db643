"""A signed-in member's thread page put together from a cached shell: the page around the
reply list (head, header, post, conversation head, footer), rendered once per version of the
post, language and kind of member, with this request's parts joined into its slots.

The slots hold what differs between members and requests: the CSRF token, the member's name
and unread count in the header, the reply list (itself joined from cached parts, see
reply_lists.py) and the reply form (forms.py). What the key holds is the same for every member
of that kind: the post's version (it rises with any change its pages show, settings and
categories included), the page's place in the thread, moderator and author links. A page with
a flash message to show, a preview of an unpublished post, or a guest's page renders whole.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from flask import current_app
from flask import get_template_attribute
from flask import render_template
from flask import request
from flask import session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from markupsafe import escape

from forum.models import Post
from forum.models import User
from forum.security.policies import can_author
from forum.services.threads import ThreadPage
from forum.web.actor import signed_in_user
from forum.web.caching import fragments
from forum.web.caching.store import MemoryStore
from forum.web.filters import request_site_settings
from forum.web.presenters import thread_page_url

_TEMPLATE = "threads/show.html"
_NAV = "_partials/nav_notifications.html"
_SLOT = "<!--porch:shell:{}-->"
_SLOTS = re.compile(r"<!--porch:shell:(\w+)-->")
_SECONDS = 3600


class _Shell(tuple[str, ...]):
    """The page split at its slots: text, slot name, text, ... text."""

    def __len__(self) -> int:  # the store counts bytes, not parts
        return sum(len(part) for part in self)


def make_store(config: Any) -> MemoryStore[_Shell]:
    return MemoryStore[_Shell](int(config["PAGE_SHELL_CACHE_MAX_BYTES"]))


def thread_page(
    post: Post,
    thread: ThreadPage,
    replies_html: Markup,
    form_html: Markup | None,
    closed: str | None,
) -> str | None:
    """The member's page from the cached shell, or None: render it the usual way."""
    user = signed_in_user()
    if user is None or not _shareable(post, form_html, closed):
        return None
    key = _key(user, post, thread, bool(replies_html), form_html is not None, closed)
    store: MemoryStore[_Shell] = current_app.extensions["porch_page_shell_cache"]
    shell = store.get_many([key])[0]
    if shell is None:
        shell = _render(post, thread, bool(replies_html), form_html is not None, closed)
        if shell is None:
            return None
        store.set(key, shell, _SECONDS)
    filled = {
        "token": generate_csrf(),
        "name": str(escape(user.display_name)),
        "notifications": _notifications_item(store),
        "replies": str(replies_html),
        "form": str(form_html),
    }
    parts = list(shell)
    parts[1::2] = [filled[name] for name in shell[1::2]]
    return "".join(parts)


def _notifications_item(store: MemoryStore[_Shell]) -> str:
    """The header's Notifications link for this unread count, rendered once per count."""
    from forum.web.inbox import unread_notifications  # it imports the thread views: not at the top

    unread = unread_notifications()
    key = f"nav|{fragments.language()}|{unread}|{request.script_root}"
    kept = store.get_many([key])[0]
    if kept is None:
        item = get_template_attribute(_NAV, "notifications_item")(unread, False)
        kept = _Shell((str(item),))
        store.set(key, kept, _SECONDS)
    return kept[0]


def _shareable(post: Post, form_html: Markup | None, closed: str | None) -> bool:
    return (
        bool(current_app.config["PAGE_SHELL_CACHE"])
        and post.is_live()
        and (form_html is not None or closed is not None)
        and "_flashes" not in session  # shown once, then gone: rare enough to render whole
    )


def _key(
    user: User,
    post: Post,
    thread: ThreadPage,
    has_replies: bool,
    has_form: bool,
    closed: str | None,
) -> str:
    kind = f"{user.is_moderator}|{can_author(user)}"
    place = f"{thread.sort.value}|{thread.page}|{thread.reply_count}|{thread.has_next}"
    return (
        f"shell|{post.id}|{post.version}|{fragments.language()}|{kind}|{place}|{has_replies}|"
        f"{has_form}|{closed}|{request_site_settings().time_zone}|{request.script_root}|"
        f"{request.path}"
    )


def _render(
    post: Post, thread: ThreadPage, has_replies: bool, has_form: bool, closed: str | None
) -> _Shell | None:
    """The page with slot markers where the per-request parts go; None if they are not all
    there exactly as expected (say, a marker's text in the post)."""
    slots = {name: _marker(name) for name in ("name", "notifications")}
    pieces = fragments.with_token_slot(
        lambda: render_template(
            _TEMPLATE,
            thread=thread,
            replies_html=_marker("replies") if has_replies else Markup(""),
            post=post,
            reply_form_html=_marker("form") if has_form else None,
            form=None,
            thread_page_url=thread_page_url,
            comments_closed=closed,
            page_slots=slots,
        )
    )
    parts = _SLOTS.split(_SLOT.format("token").join(pieces))
    expected = Counter(token=2, name=1, notifications=1, replies=int(has_replies))
    expected.update(form=int(has_form))
    if Counter(parts[1::2]) != +expected:
        return None
    return _Shell(parts)


def _marker(name: str) -> Markup:
    return Markup(_SLOT.format(name))  # nosec B704  # our own constant comment, no visitor's text
