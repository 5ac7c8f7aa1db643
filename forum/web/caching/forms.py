"""A member's blank reply form under a thread, rendered once per member, post and language
and kept in this process's memory; each request only puts its CSRF token back in.

Building and rendering the WTForms form is most of what is left of a member's cached thread page.
Guests' forms (remembered details, sign-in buttons) are rendered as before.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask import render_template
from flask import request
from flask import session
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from forum.models import Post
from forum.services.mail import subscriptions
from forum.web.actor import signed_in_user
from forum.web.caching import fragments
from forum.web.caching.store import MemoryStore
from forum.web.reply_form import new_reply_form
from forum.web.signin import SIGNED_IN_VIA_KEY

_SECONDS = 3600


class _Parts(tuple[str, ...]):
    """The form's HTML split where its CSRF token goes."""

    def __len__(self) -> int:  # the store counts bytes, not parts
        return sum(len(part) for part in self)


def make_store(config: Any) -> MemoryStore[_Parts]:
    return MemoryStore[_Parts](int(config["REPLY_FORM_CACHE_MAX_BYTES"]))


def member_reply_form(post: Post) -> Markup | None:
    """The blank reply form for the signed-in member, or None: render it the usual way."""
    user = signed_in_user()
    if user is None or not current_app.config["REPLY_FORM_CACHE"]:
        return None
    name = user.display_name
    if fragments.TOKEN_SLOT in name:
        return None
    notify = subscriptions.notify_replies_default(user)
    via = session.get(SIGNED_IN_VIA_KEY)  # the form names the provider
    key = f"{post.slug}|{fragments.language()}|{request.script_root}|{name}|{notify}|{via}"
    store: MemoryStore[_Parts] = current_app.extensions["porch_reply_form_cache"]
    parts = store.get_many([key])[0]
    if parts is None:
        parts = _render(post)
        store.set(key, parts, _SECONDS)
    # Bandit's B704: the parts are HTML our autoescaping templates rendered, kept in memory.
    return Markup(generate_csrf().join(parts))  # nosec B704


def _render(post: Post) -> _Parts:
    template = "_partials/reply_form_alone.html"
    form = new_reply_form()
    return _Parts(
        fragments.with_token_slot(lambda: render_template(template, form=form, post=post))
    )
