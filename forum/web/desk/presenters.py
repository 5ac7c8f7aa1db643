"""Words the desk shows about a post's state."""

from __future__ import annotations

from forum.i18n import _
from forum.models import Post
from forum.models import PostStatus
from forum.web.filters import exact_time


def status_label(post: Post) -> str:
    """Draft, Scheduled or Published: what readers can see of it right now."""
    if post.status is PostStatus.DRAFT:
        return _("Draft")
    return _("Scheduled") if post.is_scheduled else _("Published")


def saved_message(post: Post) -> str:
    if post.status is PostStatus.DRAFT:
        return f"Draft saved: “{post.title}”. Readers cannot see it."
    if post.is_scheduled:
        return f"Scheduled: “{post.title}” goes live on {exact_time(post.published_at)}."
    return f"Published: “{post.title}” is live."
