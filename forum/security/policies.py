"""Permission predicates: pure functions, the one place role checks live."""

from __future__ import annotations

from datetime import datetime
from datetime import timedelta
from typing import Protocol

from forum.i18n import _
from forum.i18n import ngettext
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User


class AuthoredReply(Protocol):
    """What the author checks read of a reply: a Reply, or the facts a cached page keeps."""

    @property
    def author_id(self) -> int | None: ...
    @property
    def guest_token(self) -> str | None: ...
    @property
    def status(self) -> ReplyStatus: ...
    @property
    def created_at(self) -> datetime: ...
    @property
    def deleted_at(self) -> datetime | None: ...


def is_signed_in(user: User | None) -> bool:
    return user is not None and user.is_authenticated


def posting_refusal(user: User | None) -> str | None:
    """Why this account may not post or like, or None when it may."""
    if user is not None and user.is_banned:
        if user.ban_reason:
            return _(
                "Your account is banned, so it cannot post or like replies. Reason: %(reason)s",
                reason=user.ban_reason,
            )
        return _("Your account is banned, so it cannot post or like replies.")
    return None


def can_moderate(user: User | None) -> bool:
    return is_signed_in(user) and user is not None and user.is_moderator and not user.is_banned


def can_author(user: User | None) -> bool:
    """May use the desk: write, schedule and publish posts, manage categories."""
    if not is_signed_in(user) or user is None or user.is_banned:
        return False
    return user.role is Role.ADMIN or user.can_author


def comments_closed_reason(post: Post, site_close_after_days: int, now: datetime) -> str | None:
    """Why nobody may reply to the post any more, or None while its comments are open.

    The post's own "close after N days" wins over the site's; 0 means never.
    """
    if not post.comments_open:
        return _("Comments are closed.")
    days = post.close_after_days if post.close_after_days is not None else site_close_after_days
    if days and now - post.published_at > timedelta(days=days):
        return ngettext(
            "Comments are closed: replies to this post closed after %(num)d day.",
            "Comments are closed: replies to this post closed after %(num)d days.",
            days,
        )
    return None


def can_see_reply(user: User | None, guest_token: str | None, reply: Reply) -> bool:
    """Approved replies are public; held ones are shown to their author and to moderators."""
    if reply.status == ReplyStatus.APPROVED:
        return True
    if can_moderate(user):
        return True
    return is_own_reply(user, guest_token, reply) and reply.status != ReplyStatus.TRASH


def is_own_reply(user: User | None, guest_token: str | None, reply: AuthoredReply) -> bool:
    if is_signed_in(user) and user is not None and reply.author_id == user.id:
        return True
    return guest_token is not None and reply.guest_token == guest_token


def can_edit_own(
    user: User | None,
    guest_token: str | None,
    reply: AuthoredReply,
    now: datetime,
    window: timedelta,
) -> bool:
    """Authors (account, or the guest's browser) change their reply within the edit window.

    Moderators may change their own replies at any time; nobody touches spam or trash.
    """
    if reply.deleted_at is not None or reply.status in (ReplyStatus.SPAM, ReplyStatus.TRASH):
        return False
    if user is not None and user.is_banned:
        return False
    if not is_own_reply(user, guest_token, reply):
        return False
    return can_moderate(user) or now < reply.created_at + window


def can_edit_reply(
    user: User | None, guest_token: str | None, reply: Reply, now: datetime, window: timedelta
) -> bool:
    """Moderators edit any reply at any time; everyone else only their own, in the window."""
    if reply.deleted_at is None and can_moderate(user):
        return True
    return can_edit_own(user, guest_token, reply, now, window)
