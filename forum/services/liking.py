"""Likes: one per reply per account or guest browser."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from forum.errors import Forbidden
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import Like
from forum.models import Reply
from forum.models import ReplyStatus
from forum.security.actor import Actor
from forum.security.policies import is_own_reply
from forum.security.policies import posting_refusal
from forum.services import notifying


@dataclass(frozen=True)
class LikeState:
    reply_id: int
    liked: bool
    count: int


def set_like(*, actor: Actor, reply_id: int, liked: bool) -> LikeState:
    """Like or unlike; repeating either is harmless, and the count is recounted, never guessed."""
    reply = db.session.get(Reply, reply_id)
    if reply is None or reply.status != ReplyStatus.APPROVED or reply.deleted_at is not None:
        raise NotFound(_("This reply does not exist or cannot be liked."))
    if refusal := posting_refusal(actor.user):
        raise Forbidden(refusal)
    if actor.user is None and not actor.guest_token:
        raise Forbidden(_("Likes need cookies enabled, so we can count one per browser."))
    if liked and is_own_reply(actor.user, actor.guest_token, reply):
        raise Forbidden(_("You can't like your own reply."))
    mine = (
        Like.user_id == actor.user_id
        if actor.user is not None
        else Like.guest_token == actor.guest_token
    )
    if liked:
        if _insert_like(actor, reply.id):
            notifying.liked(reply, actor.user)
    else:
        db.session.execute(delete(Like).where(Like.reply_id == reply.id, mine))
    recount = select(func.count(Like.id)).where(Like.reply_id == reply.id).scalar_subquery()
    db.session.execute(update(Reply).where(Reply.id == reply.id).values(like_count=recount))
    db.session.commit()
    count = db.session.scalar(select(Reply.like_count).where(Reply.id == reply.id)) or 0
    return LikeState(reply_id=reply.id, liked=liked, count=count)


def _insert_like(actor: Actor, reply_id: int) -> bool:
    """A second like from the same liker hits the unique constraint and is ignored (False)."""
    token = actor.guest_token if actor.user is None else None
    try:
        with db.session.begin_nested():
            db.session.add(Like(reply_id=reply_id, user_id=actor.user_id, guest_token=token))
    except IntegrityError:
        return False
    return True
