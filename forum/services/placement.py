"""Where a reply sits in its thread: its page, and the node to show right after posting it."""

from __future__ import annotations

from dataclasses import dataclass

from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.security.actor import Actor
from forum.services.numbering import numbers_of
from forum.services.numbering import numbers_with
from forum.services.numbering import root_number_and_count
from forum.services.threads import approved_count
from forum.services.tree import ThreadNode


def page_of_reply(reply: Reply, actor: Actor, per_page: int) -> int:
    """The page, in the default order, that shows this reply's top-level ancestor."""
    root = db.session.get(Reply, reply.root_id or reply.id)
    if root is None:
        return 1
    return (numbers_of([root], actor, max_depth=1)[root.id] - 1) // per_page + 1


@dataclass(frozen=True)
class NewReplyPlace:
    page: int  # of the thread, in the default order, that shows the reply
    node: ThreadNode  # the reply as that page shows it
    reply_count: int  # approved replies in the thread, counting it once approved


def placed_new_reply(reply: Reply, actor: Actor, per_page: int, max_depth: int) -> NewReplyPlace:
    """page_of_reply, node_for_new_reply and the thread's approved count in one query (a new
    top-level reply is its own root: one count, not two)."""
    if reply.depth == 0:  # its own root: one statement built once per kind of viewer
        number, reply_count = root_number_and_count(reply, actor)
        page = (number - 1) // per_page + 1
        return NewReplyPlace(page, _node(reply, number, max_depth), reply_count)
    root = db.session.get(Reply, reply.root_id or reply.id) or reply
    replies = list({root.id: root, reply.id: reply}.values())
    numbers, (reply_count,) = numbers_with(replies, actor, max_depth, approved_count(reply.post_id))
    page = (numbers[root.id] - 1) // per_page + 1
    return NewReplyPlace(page, _node(reply, numbers[reply.id], max_depth), reply_count)


def node_for_new_reply(reply: Reply, actor: Actor, max_depth: int) -> ThreadNode:
    """The reply as the thread page will show it: same number, level and "in reply to"."""
    return _node(reply, numbers_of([reply], actor, max_depth)[reply.id], max_depth)


def _node(reply: Reply, number: int, max_depth: int) -> ThreadNode:
    last_level = max(max_depth, 1) - 1
    display_depth = min(reply.depth, last_level)
    parent = reply.parent
    in_reply_to = parent.author_name if parent is not None and reply.depth > last_level else None
    return ThreadNode(
        reply=reply,
        number=number,
        display_depth=display_depth,
        placeholder=False,
        held=reply.status != ReplyStatus.APPROVED,
        in_reply_to=in_reply_to,
        own=True,
    )
