"""Subscriptions: made from the reply form or settings, listed, ended, and ended by signed link."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import delete
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from sqlalchemy.orm import selectinload

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import Category
from forum.models import Delivery
from forum.models import MailPreference
from forum.models import Post
from forum.models import Reply
from forum.models import Scope
from forum.models import Subscription
from forum.models import User
from forum.models import VerifiedEmail
from forum.security.tokens import TokenInvalid
from forum.security.tokens import make_token
from forum.security.tokens import read_token
from forum.services.mail import addresses

UNSUBSCRIBE_PURPOSE = "unsubscribe"
REPLY_FORM_SCOPES = frozenset({"reply", "thread", "posts"})


def address_of(subscription: Subscription) -> str | None:
    """Where its mail goes: a confirmed account email, or the guest's email (if confirmed)."""
    if subscription.user_id is not None:
        user = subscription.user
        if user is None or not user.email or not user.email_verified:
            return None
        return addresses.normalise(user.email)
    if subscription.email and db.session.get(VerifiedEmail, subscription.email) is not None:
        return subscription.email
    return None


def _exists(user: User | None, email: str | None, scope: Scope, **target: int | str | None) -> bool:
    query = select(Subscription.id).where(Subscription.scope == scope)
    if user is not None:
        query = query.where(Subscription.user_id == user.id)
    else:
        query = query.where(Subscription.email == email)
    for name, value in target.items():
        column = getattr(Subscription, name)
        query = query.where(column.is_(None) if value is None else column == value)
    return db.session.scalar(query.limit(1)) is not None


def subscribe_from_reply(*, reply: Reply, user: User | None, scopes: frozenset[str]) -> None:
    """The reply form's boxes: replies to it, the thread, new posts; at most 3 rows (no commit)."""
    email = None if user is not None else addresses.normalise(reply.guest_email or "")
    if user is None and not email:
        return
    wanted: dict[str, tuple[Scope, dict[str, int | str | None]]] = {
        "reply": (Scope.REPLY, {"reply_id": reply.id}),
        "thread": (Scope.THREAD, {"post_id": reply.post_id}),
        "posts": (Scope.POSTS, {"category_id": None, "series_name": None}),
    }
    for name in sorted(scopes & REPLY_FORM_SCOPES):
        scope, target = wanted[name]
        if not _exists(user, email, scope, **target):
            db.session.add(
                Subscription(user_id=user.id if user else None, email=email, scope=scope, **target)
            )


def subscribe_to_posts(
    *, user: User, category_id: int | None, series_name: str | None, mode: Delivery
) -> Subscription:
    """From settings: new posts site-wide, in one category, or in one series."""
    if not user.email_verified:
        raise Forbidden(_("Confirm your email address first; mail goes only to confirmed ones."))
    if category_id is not None and db.session.get(Category, category_id) is None:
        raise InvalidInput({"target": [_("That category no longer exists.")]})
    target = {"category_id": category_id, "series_name": series_name or None}
    if _exists(user, None, Scope.POSTS, **target):
        raise InvalidInput({"target": [_("You already get mail about these posts.")]})
    subscription = Subscription(user_id=user.id, scope=Scope.POSTS, mode=mode, **target)
    db.session.add(subscription)
    db.session.commit()
    return subscription


def series_names() -> list[str]:
    return list(
        db.session.scalars(select(Post.series_name).where(Post.series_name.is_not(None)).distinct())
    )


def for_user(user: User) -> list[Subscription]:
    return list(
        db.session.scalars(
            select(Subscription)
            .where(Subscription.user_id == user.id)
            .options(
                selectinload(Subscription.reply).joinedload(Reply.post),
                selectinload(Subscription.post),
                selectinload(Subscription.category),
            )
            .order_by(Subscription.created_at.desc(), Subscription.id.desc())
        )
    )


def _own(user: User, subscription_id: int) -> Subscription:
    subscription = db.session.get(Subscription, subscription_id)
    if subscription is None or subscription.user_id != user.id:
        raise NotFound(_("You have no such subscription."))
    return subscription


def end(*, user: User, subscription_id: int) -> None:
    db.session.delete(_own(user, subscription_id))
    db.session.commit()


def set_mode(*, user: User, subscription_id: int, mode: Delivery) -> None:
    _own(user, subscription_id).mode = mode
    db.session.commit()


def notify_replies_default(user: User | None) -> bool:
    """'Notify me of replies to my comment' is ticked unless the account turned it off."""
    if user is None:
        return False
    preference = user.mail_preference  # joined with the signed-in user: no query
    return preference is None or preference.notify_replies


def set_notify_replies_default(*, user: User, on: bool) -> None:
    preference = db.session.get(MailPreference, user.id)
    if preference is None:
        db.session.add(MailPreference(user_id=user.id, notify_replies=on))
    else:
        preference.notify_replies = on
    db.session.commit()


def _address_hash(address: str) -> str:
    return hashlib.sha256(addresses.normalise(address).encode()).hexdigest()[:16]


def unsubscribe_token(subscription: Subscription, address: str) -> str:
    """Signed (row id, address): useless for another subscription or another address."""
    return make_token(UNSUBSCRIBE_PURPOSE, {"s": subscription.id, "a": _address_hash(address)})


@dataclass(frozen=True)
class Unsubscribe:
    address: str | None  # None: the subscription was already ended (a reused link)
    subscription: Subscription | None


def read_unsubscribe(token: str) -> Unsubscribe:
    """What a link acts on; TokenInvalid for forged or expired links."""
    payload = read_token(
        UNSUBSCRIBE_PURPOSE, token, int(current_app.config["UNSUBSCRIBE_TOKEN_MAX_AGE"])
    )
    subscription = (
        db.session.get(Subscription, payload.get("s"), options=[joinedload(Subscription.user)])
        if isinstance(payload.get("s"), int)
        else None
    )
    if subscription is None:
        return Unsubscribe(address=None, subscription=None)
    address = address_of(subscription) or subscription.email or ""
    if _address_hash(address) != payload.get("a"):
        raise TokenInvalid(_("This link is not valid for this subscription."))
    return Unsubscribe(address=address, subscription=subscription)


def unsubscribe(token: str, *, everything: bool = False) -> Unsubscribe:
    """End exactly the linked subscription; with `everything`, all mail to that address."""
    found = read_unsubscribe(token)
    if found.subscription is not None and found.address:
        db.session.delete(found.subscription)
        if everything:
            _end_all(found.address)
        db.session.commit()
    return found


def daily_instead(token: str) -> Unsubscribe:
    """From a mail's link: keep the subscription as a daily digest (guests have no settings)."""
    found = read_unsubscribe(token)
    if found.subscription is not None:
        found.subscription.mode = Delivery.DAILY
        db.session.commit()
    return found


def _end_all(address: str) -> None:
    users = select(User.id).where(User.email == address)
    db.session.execute(
        delete(Subscription).where(
            (Subscription.email == address) | Subscription.user_id.in_(users)
        )
    )
    addresses.stop_all(address)
