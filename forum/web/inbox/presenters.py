"""A notification as the page shows it: one sentence, the post, a quote, where it leads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import url_for
from markupsafe import Markup
from markupsafe import escape

from forum.i18n import _
from forum.i18n import format_number
from forum.i18n import ngettext
from forum.models import Notification
from forum.models import NotificationKind
from forum.text.plain import excerpt


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    sentence: Markup
    post_title: str
    quote: str
    url: str
    unread: bool
    when: datetime


def sentence(notification: Notification) -> Markup:
    """What happened, in words: "Ada replied to you", "3 people liked your reply"; the name in
    <bdi>, so a right-to-left name cannot reorder the words around it."""
    who = Markup("<bdi>%s</bdi>") % _actor(notification)
    if notification.kind is NotificationKind.REPLY:
        return _with_name(_("%(name)s replied to you"), who)
    if notification.kind is NotificationKind.MENTION:
        return _with_name(_("%(name)s mentioned you"), who)
    if notification.kind is NotificationKind.APPROVED:
        return escape(_("A moderator approved your reply: everyone can see it now"))
    if notification.count > 1:
        return escape(
            ngettext(
                "%(num)s person liked your reply",
                "%(num)s people liked your reply",
                notification.count,
                num=format_number(notification.count),
            )
        )
    return _with_name(_("%(name)s liked your reply"), who)


def _with_name(translated: str, who: Markup) -> Markup:
    return escape(translated) % {"name": who}


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
