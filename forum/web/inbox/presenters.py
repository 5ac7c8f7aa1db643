"""A notification as the page shows it: one sentence, the post, a quote, where it leads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for

from forum.i18n import _
from forum.i18n import ngettext
from forum.models import Notification
from forum.models import NotificationKind
from forum.text.plain import excerpt


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    sentence: str
    post_title: str
    quote: str
    url: str
    unread: bool
    when: datetime


def sentence(notification: Notification) -> str:
    """What happened, in words: "Ada replied to you", "3 people liked your reply"."""
    who = _actor(notification)
    if notification.kind is NotificationKind.REPLY:
        return _("%(name)s replied to you", name=who)
    if notification.kind is NotificationKind.MENTION:
        return _("%(name)s mentioned you", name=who)
    if notification.kind is NotificationKind.APPROVED:
        return _("A moderator approved your reply: everyone can see it now")
    if notification.count > 1:
        return ngettext(
            "%(num)d person liked your reply",
            "%(num)d people liked your reply",
            notification.count,
        )
    return _("%(name)s liked your reply", name=who)


def present(notification: Notification) -> NotificationView:
    post, reply = notification.post, notification.reply
    return NotificationView(
        id=notification.id,
        kind=notification.kind.value,
        sentence=sentence(notification),
        post_title=post.title,
        quote=excerpt(reply.body_html, 140),
        url=url_for("threads.permalink", slug=post.slug, reply_id=reply.id),
        unread=notification.read_at is None,
        when=notification.updated_at,
    )


def _actor(notification: Notification) -> str:
    if notification.actor is not None:
        return notification.actor.display_name
    return notification.actor_name or _("Someone")
