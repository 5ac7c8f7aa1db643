"""Words the desk shows about a post's state."""

from __future__ import annotations

from forum.i18n import _
from forum.models import Post
from forum.models import PostStatus
from forum.web.filters import exact_time


def status_code(post: Post) -> str:
    """draft, scheduled or published: what readers can see of it right now (for CSS and logic)."""
    if post.status is PostStatus.DRAFT:
        return "draft"
    return "scheduled" if post.is_scheduled else "published"


def status_label(post: Post) -> str:
    """Draft, Scheduled or Published, in words."""
    labels = {"draft": _("Draft"), "scheduled": _("Scheduled"), "published": _("Published")}
    return labels[status_code(post)]


def saved_message(post: Post) -> str:
    if post.status is PostStatus.DRAFT:
        return _("Draft saved: “%(title)s”. Readers cannot see it.", title=post.title)
    if post.is_scheduled:
        return _(
            "Scheduled: “%(title)s” goes live on %(when)s.",
            title=post.title,
            when=exact_time(post.published_at),
        )
    return _("Published: “%(title)s” is live.", title=post.title)
