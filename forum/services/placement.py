"""Where a reply sits in its thread: its page, and the node to show right after posting it."""

from __future__ import annotations

from sqlalchemy import and_
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.security.actor import Actor
from forum.services.threads import shown_roots
from forum.services.threads import visible_to
from forum.services.tree import ThreadNode


def _roots_before(root: Reply, actor: Actor) -> int:
    """Top-level replies shown before this one in the default (oldest first) order."""
    earlier = or_(
        Reply.created_at < root.created_at,
        and_(Reply.created_at == root.created_at, Reply.id < root.id),
    )
    before = shown_roots(root.post, actor).where(earlier).subquery()
    return db.session.scalar(select(func.count()).select_from(before)) or 0


def page_of_reply(reply: Reply, actor: Actor, per_page: int) -> int:
    """The page, in the default order, that shows this reply's top-level ancestor."""
    root = db.session.get(Reply, reply.root_id or reply.id)
    return 1 if root is None else _roots_before(root, actor) // per_page + 1


def node_for_new_reply(reply: Reply, actor: Actor, max_depth: int) -> ThreadNode:
    """The reply as the thread page will show it: same number, level and "in reply to"."""
    last_level = max(max_depth, 1) - 1
    display_depth = min(reply.depth, last_level)
    parent = reply.parent
    in_reply_to = parent.author_name if parent is not None and reply.depth > last_level else None
    return ThreadNode(
        reply=reply,
        number=_number(reply, actor, display_depth, last_level),
        display_depth=display_depth,
        placeholder=False,
        held=reply.status != ReplyStatus.APPROVED,
        in_reply_to=in_reply_to,
    )


def _number(reply: Reply, actor: Actor, display_depth: int, last_level: int) -> int:
    """Position among the replies shown in the same list, counted in path order."""
    if reply.depth == 0:
        return _roots_before(reply, actor) + 1
    segments = reply.path.split("/")
    list_prefix = "/".join(segments[:display_depth]) + "/"
    same_list = (
        Reply.depth >= last_level if display_depth == last_level else Reply.depth == display_depth
    )
    earlier = select(func.count(Reply.id)).where(
        Reply.post_id == reply.post_id,
        Reply.path.startswith(list_prefix, autoescape=True),
        Reply.path < reply.path,
        same_list,
        visible_to(actor),
    )
    return (db.session.scalar(earlier) or 0) + 1
