"""Bans on accounts, email addresses and IP ranges."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from itertools import chain
from typing import Any

from sqlalchemy import Row
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import joinedload

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import AuditAction
from forum.models import Ban
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.models.base import utcnow
from forum.models.user import new_session_token
from forum.services import rare_rows
from forum.services import statements
from forum.services.moderation import audit
from forum.services.moderation.lessons import retrain
from forum.services.moderation.matching import ip_in_ranges
from forum.services.moderation.matching import valid_range
from forum.services.moderation.permissions import require_moderator
from forum.services.webhooks import events as webhooks


def active_ban(*, user: User | None, email: str | None, ip: str | None) -> Row[Any] | None:
    """The first ban in force (its id and reason) that matches the account, email or address."""
    if user is None and not email and not ip:
        return None
    known = rare_rows.remembered("bans", _unlifted_bans)
    candidates = chain(
        known.by_user.get(user.id, ()) if user is not None else (),
        known.by_email.get(email.lower(), ()) if email else (),
        known.by_address if ip else (),
    )
    now = utcnow()
    for ban in sorted(candidates, key=lambda row: row.id):
        if ban.expires_at is not None and ban.expires_at <= now:
            continue  # remembered until a change: time alone ends a ban
        if ban.ip_range is None or (ip is not None and ip_in_ranges(ip, [ban.ip_range])):
            return ban
    return None


@dataclass(frozen=True)
class _Unlifted:
    """Bans not lifted (expired ones too), found by what they match."""

    by_user: dict[int, list[Row[Any]]]
    by_email: dict[str, list[Row[Any]]]
    by_address: list[Row[Any]]


_UNLIFTED = select(Ban.id, Ban.user_id, Ban.email, Ban.ip_range, Ban.reason, Ban.expires_at).where(
    Ban.lifted_at.is_(None)
)


def _unlifted_bans() -> _Unlifted:
    known = _Unlifted({}, {}, [])
    for ban in statements.run(_UNLIFTED):
        if ban.user_id is not None:
            known.by_user.setdefault(ban.user_id, []).append(ban)
        if ban.email is not None:
            known.by_email.setdefault(ban.email, []).append(ban)
        if ban.ip_range is not None:
            known.by_address.append(ban)
    return known


@dataclass(frozen=True)
class BanRequest:
    user_id: int | None = None
    email: str | None = None
    ip_range: str | None = None
    reason: str = ""
    expires_at: datetime | None = None
    remove_replies: bool = False  # also trash the target's replies that are not trashed yet


def ban(*, moderator: User | None, request: BanRequest) -> Ban:
    """Ban an account, an email or an IP range; optionally trash what they posted."""
    actor = require_moderator(moderator)
    user = _validate(request)
    row = Ban(
        user_id=user.id if user else None,
        email=request.email.lower() if request.email else None,
        ip_range=request.ip_range,
        reason=request.reason,
        expires_at=request.expires_at,
        created_by_id=actor.id,
    )
    db.session.add(row)
    if user is not None:
        db.session.flush()
        sync_user_ban(user)
        user.session_token = new_session_token()  # signs them out everywhere
    removed = _trash_replies_of(request, user) if request.remove_replies else {}
    db.session.flush()
    audit.record(
        actor=actor,
        action=AuditAction.BAN,
        target_type="ban",
        target_ids=[row.id],
        before={"status": removed},
        after={
            "ban_id": row.id,
            "user_id": row.user_id,
            "email": row.email,
            "ip_range": row.ip_range,
            "removed": sorted(int(i) for i in removed),
        },
        reason=request.reason,
    )
    _emit_ban(row, user, removed, actor)
    db.session.commit()
    return row


def _emit_ban(row: Ban, user: User | None, removed: dict[str, str], actor: User) -> None:
    """account.banned for bans on an account; reply.removed for the replies a ban trashed."""
    if user is not None:
        account = {"id": user.id, "display_name": user.display_name}
        expires = row.expires_at.isoformat() if row.expires_at else None
        ban = {"id": row.id, "reason": row.reason, "expires_at": expires}
        webhooks.emit(webhooks.ACCOUNT_BANNED, {"account": account, "ban": ban})
    webhooks.replies_moderated((int(i) for i in removed), ReplyStatus.TRASH, actor.display_name)


def _validate(request: BanRequest) -> User | None:
    targets = [request.user_id is not None, bool(request.email), bool(request.ip_range)]
    if sum(targets) != 1:
        raise InvalidInput(
            {"target": [_("Ban one thing at a time: an account, an email or an IP range.")]}
        )
    if request.ip_range and not valid_range(request.ip_range):
        raise InvalidInput(
            {
                "ip_range": [
                    _("Enter an address such as 203.0.113.7 or a range such as 203.0.113.0/24.")
                ]
            }
        )
    if request.expires_at is not None and request.expires_at <= utcnow():
        raise InvalidInput({"expires_at": [_("The end of the ban must be in the future.")]})
    if request.user_id is None:
        return None
    user = db.session.get(User, request.user_id)
    if user is None:
        raise NotFound(_("That account does not exist."))
    if user.is_moderator:
        raise Forbidden(_("Moderators and admins cannot be banned; change their role first."))
    return user


def _trash_replies_of(request: BanRequest, user: User | None) -> dict[str, str]:
    """Trash the banned party's replies; returns their previous statuses for undo."""
    if user is not None:
        whose = Reply.author_id == user.id
    elif request.email:
        whose = func.lower(Reply.guest_email) == request.email.lower()
    else:
        candidates = db.session.execute(
            select(Reply.id, Reply.ip_address).where(Reply.ip_address.is_not(None))
        ).all()
        ids = [rid for rid, ip in candidates if ip and ip_in_ranges(ip, [request.ip_range or ""])]
        whose = Reply.id.in_(ids)
    rows = db.session.execute(
        select(Reply.id, Reply.status).where(whose, Reply.status != ReplyStatus.TRASH)
    ).all()
    before = {str(rid): status.value for rid, status in rows}
    if before:
        ids = [int(i) for i in before]
        db.session.execute(
            update(Reply)
            .where(Reply.id.in_(ids))
            .values(status=ReplyStatus.TRASH, moderated_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        retrain(
            db.session.scalars(
                select(Reply).where(Reply.id.in_(ids)).execution_options(populate_existing=True)
            )
        )
    return before


def lift_ban(*, moderator: User | None, ban_id: int, reason: str = "") -> Ban:
    actor = require_moderator(moderator)
    row = db.session.get(Ban, ban_id)
    if row is None or row.lifted_at is not None:
        raise NotFound(_("That ban does not exist or was already lifted."))
    row.lifted_at, row.lifted_by_id = utcnow(), actor.id
    if row.user is not None:
        db.session.flush()
        sync_user_ban(row.user)
    audit.record(
        actor=actor,
        action=AuditAction.LIFT_BAN,
        target_type="ban",
        target_ids=[row.id],
        before={"lifted": False},
        after={"lifted": True},
        reason=reason,
    )
    db.session.commit()
    return row


def bans_in_force() -> list[Ban]:
    now = utcnow()
    query = (
        select(Ban)
        .where(Ban.lifted_at.is_(None), or_(Ban.expires_at.is_(None), Ban.expires_at > now))
        .options(joinedload(Ban.user))
        .order_by(Ban.created_at.desc())
    )
    return list(db.session.scalars(query))


def sync_user_ban(user: User) -> None:
    """The account's ban fields, from every ban on it still in force (one may outlast another)."""
    now = utcnow()
    in_force = list(
        db.session.scalars(
            select(Ban)
            .where(
                Ban.user_id == user.id,
                Ban.lifted_at.is_(None),
                or_(Ban.expires_at.is_(None), Ban.expires_at > now),
            )
            .order_by(Ban.created_at)
        )
    )
    if not in_force:
        user.banned_at = user.ban_reason = user.ban_expires_at = None
        return
    ends = [ban.expires_at for ban in in_force]
    user.banned_at = in_force[0].created_at
    user.ban_reason = in_force[-1].reason
    user.ban_expires_at = None if None in ends else max(e for e in ends if e is not None)
