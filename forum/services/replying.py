"""Posting replies."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import replace
from typing import Any

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.extensions import db
from forum.i18n import _
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.security.policies import comments_closed_reason
from forum.security.policies import posting_refusal
from forum.services import notifying
from forum.services.display_names import checked_name
from forum.services.mail import events as mail_events
from forum.services.mail.subscriptions import subscribe_from_reply
from forum.services.moderation.draft import Draft
from forum.services.moderation.rules import Decision
from forum.services.moderation.rules import decide
from forum.services.reply_insert import insert_reply
from forum.services.search import index as search_index
from forum.services.site_settings import moderation_settings
from forum.services.webhooks import events as webhooks
from forum.text.render import normalize_source
from forum.text.render import render
from forum.text.sanitize import is_web_address


@dataclass(frozen=True)
class GuestDetails:
    name: str
    email: str
    url: str | None


def post_reply(
    *,
    actor: Actor,
    post: Post,
    parent_id: int | None,
    body: str,
    guest: GuestDetails | None,
    notify_author: bool = False,
    subscribe: frozenset[str] = frozenset(),
    read_back: Callable[[Reply], None] | None = None,
) -> Reply:
    """Store a reply to the post or to one of its replies, with its status decided by moderation.

    `read_back` reads what the answer shows of the stored reply (its place in the thread): on
    PostgreSQL inside the writing transaction, which saves a second BEGIN, SET and COMMIT; on
    SQLite after the commit, so the database's one write lock is not held for it.
    """
    if refusal := posting_refusal(actor.user):
        raise Forbidden(refusal)
    settings = moderation_settings()  # read once: the rules below use the same
    if closed := comments_closed_reason(post, settings.close_after_days, utcnow()):
        raise Forbidden(closed)  # for staff too: the page no longer offers a reply form
    parent = _parent_for(post, parent_id)
    if actor.user is None and guest is None:
        raise InvalidInput({"name": [_("Please give your name and email, or sign in.")]})
    if actor.user is None and guest and guest.url and not is_web_address(guest.url):
        # Shown as the href of the guest's name: never javascript:, data: or a relative path.
        raise InvalidInput({"url": [_("Enter a web address starting with http:// or https://.")]})
    if actor.user is None and guest is not None:
        guest = replace(guest, name=checked_name(guest.name, field="name"))
    source = normalize_source(body)
    draft = Draft(
        actor=actor,
        post=post,
        parent=parent,
        body_source=source,
        guest_name=guest.name if guest and actor.user is None else None,
        guest_email=guest.email if guest and actor.user is None else None,
        guest_url=guest.url if guest and actor.user is None else None,
    )
    decision = decide(draft, settings)
    values = _new_reply(draft, decision, notify_author)
    return _store(values, parent, actor, subscribe, read_back)


def _new_reply(draft: Draft, decision: Decision, notify_author: bool) -> dict[str, Any]:
    """The new reply's column values (the rest take their defaults)."""
    actor, parent = draft.actor, draft.parent
    return {
        "post_id": draft.post.id,
        "parent_id": parent.id if parent else None,
        "depth": parent.depth + 1 if parent else 0,
        "status": decision.status,
        "held_reason": decision.reason,
        "spam_score": decision.spam_score,
        "decision_trace": decision.trace,
        "notify_author": notify_author,
        "body_source": draft.body_source,
        "body_html": render(draft.body_source),
        "author_id": actor.user_id,
        "guest_name": draft.guest_name,
        "guest_email": draft.guest_email,
        "guest_url": draft.guest_url,
        "guest_token": actor.guest_token if actor.user is None else None,
        "ip_address": actor.ip_address,
        "user_agent": (actor.user_agent or "")[:500] or None,
    }


def _store(
    values: dict[str, Any],
    parent: Reply | None,
    actor: Actor,
    subscribe: frozenset[str],
    read_back: Callable[[Reply], None] | None,
) -> Reply:
    """Write the reply and the rows it causes, and commit once."""
    # Read before the first write: on SQLite the writes hold the database's one write lock.
    hooks = webhooks.active_webhooks()
    reply = insert_reply(values, parent)
    subscribe_from_reply(reply=reply, user=actor.user, scopes=subscribe)
    mail_events.record_now(mail_events.REPLY_POSTED, reply_id=reply.id)
    notifying.reply_visible(reply)  # does nothing while the reply is held
    search_index.index_reply(reply)
    webhooks.reply_posted(reply, hooks)
    in_transaction = db.session.get_bind().dialect.name == "postgresql"
    if read_back and in_transaction:
        read_back(reply)
    _commit_keeping_loaded()
    if read_back and not in_transaction:
        read_back(reply)
    return reply


def _commit_keeping_loaded() -> None:
    """Commit without expiring the session's objects: the answer shows the reply, its post and
    settings this request just read or wrote, and reloading each would cost a query."""
    session = db.session()
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


def _parent_for(post: Post, parent_id: int | None) -> Reply | None:
    if parent_id is None:
        return None
    parent = db.session.get(Reply, parent_id)
    if parent is None or parent.post_id != post.id:
        raise InvalidInput(
            {"parent_id": [_("The reply you are answering does not exist on this post.")]}
        )
    if parent.status != ReplyStatus.APPROVED or parent.deleted_at is not None:
        raise InvalidInput(
            {"parent_id": [_("The reply you are answering is awaiting moderation or was removed.")]}
        )
    return parent
