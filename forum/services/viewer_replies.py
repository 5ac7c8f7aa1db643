"""What one viewer adds to a thread page every reader shares: their likes, their own replies and
the controls these give them.

A page of replies is the same for everyone who has no held reply in the post (held replies are
shown to their author only, and change the numbering), so the web layer may render it once and
put each viewer's state on top from these few facts, in two queries.
"""

from __future__ import annotations

from collections.abc import Callable
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import ColumnElement
from sqlalchemy import false
from sqlalchemy import or_
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.security.actor import Actor
from forum.security.policies import can_moderate
from forum.security.policies import is_own_reply
from forum.services import authoring
from forum.services.threads import liked_ids

_HELD = (ReplyStatus.PENDING, ReplyStatus.SPAM)


@dataclass(frozen=True)
class ViewerReplies:
    own: dict[int, Reply]  # the viewer's replies among the shown ones, by id
    liked: frozenset[int]  # ids of the shown replies the viewer likes


def viewer_replies(actor: Actor, post: Post, root_ids: Collection[int]) -> ViewerReplies | None:
    """The viewer's likes and own replies under these top-level replies; None when the viewer
    has a held reply anywhere in the post (their page is not the one others see)."""
    mine = _own_condition(actor)
    if mine is None:
        return ViewerReplies(own={}, liked=frozenset())
    query = select(Reply).where(
        Reply.post_id == post.id,
        Reply.deleted_at.is_(None),
        mine,
        or_(Reply.status.in_(_HELD), Reply.root_id.in_(list(root_ids)) if root_ids else false()),
    )
    found = list(db.session.scalars(query))
    if any(reply.status in _HELD for reply in found):
        return None
    own = {
        reply.id: reply
        for reply in found
        if reply.status is ReplyStatus.APPROVED
        and is_own_reply(actor.user, actor.guest_token, reply)
    }
    return ViewerReplies(own=own, liked=liked_ids(actor, list(root_ids)))


def controls(actor: Actor, own: Reply | None, window: Callable[[], timedelta]) -> tuple[bool, bool]:
    """(may edit, may delete) for a shown, approved reply; `own` when it is the viewer's.

    Another's reply: moderators may edit it (it is not deleted, or it would not be shown),
    nobody may delete it, as authoring.may_edit and may_delete say.
    """
    if own is None:
        return can_moderate(actor.user), False
    return authoring.may_edit(actor, own, window), authoring.may_delete(actor, own, window)


def _own_condition(actor: Actor) -> ColumnElement[bool] | None:
    """Rows written by this viewer, as threads.visible_to counts them; None for nobody."""
    own = [Reply.author_id == actor.user_id] if actor.user_id is not None else []
    if actor.guest_token:
        own.append(Reply.guest_token == actor.guest_token)
    return or_(*own) if own else None
