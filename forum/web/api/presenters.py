"""Models and service results as the JSON the API documents."""

from __future__ import annotations

from typing import Any

from flask import url_for

from forum.models import AuditEntry
from forum.models import Ban
from forum.models import Category
from forum.models import Flag
from forum.models import Post
from forum.models import ReplyRevision
from forum.services.moderation.queue import ItemDetail
from forum.services.moderation.queue import QueueItem
from forum.services.search import Hit
from forum.services.threads import PostSummary
from forum.services.tree import ThreadNode
from forum.web.search.presenters import marked

Json = dict[str, Any]


def category_json(category: Category) -> Json:
    return {
        "id": category.id,
        "slug": category.slug,
        "name": category.name,
        "description": category.description or "",
    }


def post_json(post: Post, reply_count: int, last_activity: Any = None) -> Json:
    return {
        "id": post.id,
        "slug": post.slug,
        "title": post.title,
        "url": url_for("threads.show", slug=post.slug, _external=True),
        "category": post.category.slug if post.category else None,
        "published_at": post.published_at.isoformat(),
        "reply_count": reply_count,
        "last_activity_at": (last_activity or post.published_at).isoformat(),
    }


def summary_json(summary: PostSummary) -> Json:
    return post_json(summary.post, summary.reply_count, summary.last_activity_at)


def node_json(node: ThreadNode) -> Json:
    """A reply and its answers; a placeholder keeps its place but shows nothing of the reply."""
    reply = node.reply
    hidden = node.placeholder
    return {
        "id": reply.id,
        "number": node.number,
        "parent_id": reply.parent_id,
        "author": "" if hidden else reply.author_name,
        "body_html": "" if hidden else reply.body_html,
        "created_at": reply.created_at.isoformat(),
        "edited_at": reply.edited_at.isoformat() if reply.edited_at and not hidden else None,
        "like_count": 0 if hidden else reply.like_count,
        "liked": node.liked,
        "own": node.own,
        "held": node.held,
        "placeholder": hidden,
        "depth": node.display_depth,
        "in_reply_to": node.in_reply_to,
        "children": [node_json(child) for child in node.children],
    }


def queue_item_json(item: QueueItem) -> Json:
    reply = item.reply
    return {
        "id": reply.id,
        "post": reply.post.slug,
        "status": reply.status.value,
        "author": reply.author_name,
        "body_source": reply.body_source,
        "created_at": reply.created_at.isoformat(),
        "held_reason": reply.held_reason,
        "open_reports": len(item.flags),
    }


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def ban_json(ban: Ban) -> Json:
    return {
        "id": ban.id,
        "user_id": ban.user_id,
        "email": ban.email,
        "ip_range": ban.ip_range,
        "reason": ban.reason or "",
        "created_at": ban.created_at.isoformat(),
        "expires_at": _when(ban.expires_at),
        "lifted_at": _when(ban.lifted_at),
    }


def audit_json(entry: AuditEntry, undone: bool) -> Json:
    return {
        "id": entry.id,
        "actor": entry.actor_name,
        "action": entry.action.value,
        "target_type": entry.target_type,
        "target_ids": list(entry.target_ids or []),
        "reason": entry.reason or "",
        "created_at": entry.created_at.isoformat(),
        "undone": undone,
    }


def report_json(flag: Flag) -> Json:
    return {
        "id": flag.id,
        "reason": flag.reason.value,
        "note": flag.note or "",
        "created_at": flag.created_at.isoformat(),
    }


def revision_json(revision: ReplyRevision) -> Json:
    """An earlier text of the reply, kept when it was edited."""
    return {
        "id": revision.id,
        "body_source": revision.body_source,
        "by_author": revision.by_author,
        "created_at": revision.created_at.isoformat(),
    }


def item_json(detail: ItemDetail) -> Json:
    """One reply with what a moderator judges it by, as on the dashboard's item page."""
    reply, history = detail.item.reply, detail.item.history
    return {
        "reply": queue_item_json(detail.item),
        "body_html": reply.body_html,
        "parent_id": reply.parent_id,
        "locked": reply.locked_at is not None,
        "collapsed": reply.collapsed,
        "replies_below": detail.children,
        "reports": [report_json(flag) for flag in detail.item.flags],
        "revisions": [revision_json(revision) for revision in detail.revisions],
        "author_history": {
            "approved": history.approved,
            "pending": history.pending,
            "spam": history.spam,
            "trash": history.trash,
            "first_seen": _when(history.first_seen),
        },
    }


def hit_json(hit: Hit) -> Json:
    """A search hit; the snippet escaped, its matches in <mark>, as on the search page."""
    return {
        "reply_id": hit.reply_id,
        "post": hit.post_slug,
        "post_title": hit.post_title,
        "author": hit.author_name,
        "at": hit.at.isoformat(),
        "snippet_html": str(marked(hit.snippet)),
        "status": hit.status.value if hit.status is not None else None,
        "deleted": hit.deleted,
    }
