"""The events webhooks can receive, and `emit`: deliveries written in the event's transaction."""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Sequence
from typing import Any
from typing import Protocol

from sqlalchemy import select

from forum.extensions import db
from forum.i18n import lazy_gettext
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Webhook
from forum.models import WebhookDelivery
from forum.models.base import utcnow
from forum.services import rare_rows
from forum.services import statements

REPLY_CREATED = "reply.created"
REPLY_HELD = "reply.held"
REPLY_APPROVED = "reply.approved"
REPLY_REMOVED = "reply.removed"
REPORT_OPENED = "report.opened"
ACCOUNT_BANNED = "account.banned"
PING = "ping"
EVENTS: dict[str, str] = {
    REPLY_CREATED: lazy_gettext("A reply was published"),
    REPLY_HELD: lazy_gettext("A reply was held for moderation"),
    REPLY_APPROVED: lazy_gettext("A held, spam or trashed reply was approved"),
    REPLY_REMOVED: lazy_gettext("Replies were trashed or marked spam"),
    REPORT_OPENED: lazy_gettext("A reader reported a reply"),
    ACCOUNT_BANNED: lazy_gettext("An account was banned"),
}
KICK = "porch_webhook_kick"  # session.info flag: deliveries were queued; trigger after commit


class Hook(Protocol):
    """What queuing a delivery needs of a webhook: a Webhook, or a row of active_webhooks."""

    @property
    def id(self) -> int: ...

    @property
    def events(self) -> list[str]: ...


# Built once, and only the two columns emit() needs as plain rows: every post reads it (when
# the webhooks changed since the last).
_ACTIVE = select(Webhook.id, Webhook.events).where(Webhook.active.is_(True))


def active_webhooks() -> Sequence[Hook]:
    return rare_rows.remembered("active webhooks", lambda: tuple(statements.run(_ACTIVE)))


def emit(event: str, payload: dict[str, Any], active: Sequence[Hook] | None = None) -> int:
    """Queue this event for every active webhook that chose it (no commit); returns how many.

    `active`: active_webhooks() read earlier in the transaction, e.g. before its first write.
    """
    candidates = active_webhooks() if active is None else active
    hooks = [hook for hook in candidates if event in hook.events or event == PING]
    for hook in hooks:
        queue(hook, event, payload)
    return len(hooks)


def queue(hook: Hook, event: str, payload: dict[str, Any]) -> WebhookDelivery:
    """One delivery for one webhook, in the caller's transaction."""
    now = utcnow()
    delivery = WebhookDelivery(
        webhook_id=hook.id,
        event=event,
        payload={"event": event, "occurred_at": now.isoformat(), "data": payload},
        next_attempt_at=now,
    )
    db.session.add(delivery)
    db.session.info[KICK] = True
    return delivery


def reply_data(reply: Reply) -> dict[str, Any]:
    """What a reply event says about the reply (never the guest's email or IP address)."""
    author = reply.author.display_name if reply.author is not None else reply.guest_name
    return {
        "reply": {
            "id": reply.id,
            "post_id": reply.post_id,
            "parent_id": reply.parent_id,
            "status": reply.status.value,
            "author": author,
            "guest": reply.author_id is None,
            "body": reply.body_source,
            "created_at": reply.created_at.isoformat() if reply.created_at else None,
        }
    }


def reply_posted(reply: Reply, active: Sequence[Hook] | None = None) -> None:
    """reply.created when it is visible, reply.held when it waits for a moderator."""
    if reply.status is ReplyStatus.APPROVED:
        emit(REPLY_CREATED, reply_data(reply), active)
    elif reply.status is ReplyStatus.PENDING:
        emit(REPLY_HELD, reply_data(reply), active)


def replies_moderated(ids: Iterable[int], status: ReplyStatus, moderator: str | None) -> None:
    """reply.approved or reply.removed for replies a moderator (or a ban) changed."""
    reply_ids = sorted(ids)
    if not reply_ids:
        return
    event = REPLY_APPROVED if status is ReplyStatus.APPROVED else REPLY_REMOVED
    emit(event, {"reply_ids": reply_ids, "status": status.value, "moderator": moderator})
