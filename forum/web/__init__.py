"""HTTP layer: blueprints that parse input, call one service and render or redirect."""

from __future__ import annotations

from flask import Flask
from flask import current_app
from flask import session

from forum.security import oidc
from forum.web import accounts
from forum.web import admin
from forum.web import api
from forum.web import audit
from forum.web import authoring
from forum.web import avatars
from forum.web import bans
from forum.web import caching
from forum.web import desk
from forum.web import embed
from forum.web import exporting
from forum.web import feeds
from forum.web import filters
from forum.web import health
from forum.web import hooks
from forum.web import importing
from forum.web import inbox
from forum.web import mail
from forum.web import moderation
from forum.web import passwords
from forum.web import profiles
from forum.web import replies
from forum.web import reports
from forum.web import search
from forum.web import serving
from forum.web import settings
from forum.web import setup
from forum.web import threads
from forum.web import webhooks
from forum.web.presenters import liked_by_label
from forum.web.signin import SIGNED_IN_VIA_KEY


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(threads.bp)
    app.register_blueprint(replies.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(avatars.bp)
    app.register_blueprint(health.bp)
    for blueprint in (
        accounts.bp,
        passwords.bp,
        settings.bp,
        profiles.bp,
        moderation.bp,
        bans.bp,
        audit.bp,
        admin.bp,
        setup.bp,
        authoring.bp,
        exporting.bp,
        desk.bp,
        importing.bp,
        inbox.bp,
        search.bp,
        feeds.bp,
        embed.bp,
    ):
        app.register_blueprint(blueprint)
    app.add_template_global(avatars.avatar_url_for, "avatar_url_for")
    app.add_template_global(avatars.avatar_url_for_user, "avatar_url_for_user")
    app.context_processor(_sign_in_context)
    app.add_template_global(liked_by_label, "liked_by_label")
    app.add_template_global(desk.may_use_desk, "may_use_desk")
    app.add_template_global(inbox.unread_notifications, "unread_notifications")
    filters.register(app)
    hooks.register(app)
    caching.register(app)
    webhooks.register(app)  # admin page; the sender is triggered after requests that queue
    api.register(app)  # JSON under /api/v1, its errors presented by forum.errors
    mail.register(app)  # unsubscribe pages; the worker is triggered after requests that queue mail
    setup.register(app)  # after the schema check, which must answer first
    serving.register(app)  # request ids before, compression after, every other hook


def _sign_in_context() -> dict[str, object]:
    """What every page's header and reply form need to offer sign-in or say who is signed in."""
    via = session.get(SIGNED_IN_VIA_KEY)
    provider = oidc.provider(via) if via else None
    return {
        "sign_in_providers": oidc.providers(),
        "signed_in_via": provider.label if provider else None,
        "site_name": _site_name(),
    }


def _site_name() -> str:
    """The name set in the dashboard, else PORCH_SITE_NAME; read once per request."""
    return filters.request_site_settings().site_name or str(current_app.config["SITE_NAME"])
