"""HTTP layer: blueprints that parse input, call one service and render or redirect."""

from __future__ import annotations

from flask import Flask

from forum.web import avatars
from forum.web import filters
from forum.web import health
from forum.web import hooks
from forum.web import replies
from forum.web import threads
from forum.web.presenters import liked_by_label


def register_blueprints(app: Flask) -> None:
    app.register_blueprint(threads.bp)
    app.register_blueprint(replies.bp)
    app.register_blueprint(avatars.bp)
    app.register_blueprint(health.bp)
    app.add_template_global(avatars.avatar_url_for, "avatar_url_for")
    app.add_template_global(liked_by_label, "liked_by_label")
    filters.register(app)
    hooks.register(app)
