"""Registering, listing and removing webhooks (admins only), and sending a test ping."""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy import select

from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import AuditAction
from forum.models import User
from forum.models import Webhook
from forum.models import WebhookDelivery
from forum.services.moderation import audit
from forum.services.moderation.permissions import require_admin
from forum.services.webhooks import events
from forum.services.webhooks.addresses import refusal


def allow_http_loopback() -> bool:
    return bool(current_app.config["WEBHOOK_ALLOW_HTTP_LOOPBACK"])


def register(*, admin: User | None, url: str, chosen: list[str]) -> Webhook:
    """Add an endpoint with a new secret for the chosen events."""
    actor = require_admin(admin)
    url = url.strip()
    errors: dict[str, list[str]] = {}
    if len(url) > 500:
        errors["url"] = [_("Addresses can be at most 500 characters long.")]
    elif reason := refusal(url, allow_http_loopback=allow_http_loopback()):
        errors["url"] = [reason]
    unknown = [e for e in chosen if e not in events.EVENTS]
    if unknown or not chosen:
        errors["events"] = [_("Choose at least one of the events listed.")]
    if errors:
        raise InvalidInput(errors)
    hook = Webhook(
        url=url, secret=secrets.token_hex(32), events=sorted(set(chosen)), created_by_id=actor.id
    )
    db.session.add(hook)
    db.session.flush()
    _audit(actor, hook, added=True)
    db.session.commit()
    return hook


def remove(*, admin: User | None, webhook_id: int) -> None:
    """Delete an endpoint and its delivery history."""
    actor = require_admin(admin)
    hook = get(webhook_id)
    _audit(actor, hook, added=False)
    db.session.delete(hook)
    db.session.commit()


def ping(*, admin: User | None, webhook_id: int) -> WebhookDelivery:
    """Queue a `ping` delivery to this endpoint only, so an admin can check the receiver."""
    actor = require_admin(admin)
    delivery = events.queue(get(webhook_id), events.PING, {"sent_by": actor.display_name})
    db.session.commit()
    return delivery


def _audit(actor: User, hook: Webhook, *, added: bool) -> None:
    state = {"url": hook.url, "events": hook.events}
    audit.record(
        actor=actor,
        action=AuditAction.UPDATE_SETTINGS,
        target_type="webhook",
        target_ids=[hook.id],
        before={} if added else {"webhook": state},
        after={"webhook": state} if added else {},
    )


def get(webhook_id: int) -> Webhook:
    hook = db.session.get(Webhook, webhook_id)
    if hook is None:
        raise NotFound(_("That webhook does not exist."))
    return hook


def all_webhooks() -> list[Webhook]:
    return list(db.session.scalars(select(Webhook).order_by(Webhook.id)))


def recent_deliveries(webhook_id: int, limit: int = 20) -> list[WebhookDelivery]:
    return list(
        db.session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == webhook_id)
            .order_by(WebhookDelivery.id.desc())
            .limit(limit)
        )
    )
