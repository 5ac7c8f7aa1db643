"""Porch: comments and community threads for a blog or small forum."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from forum import deferred
from forum import i18n
from forum import logging_setup
from forum.config import load_config
from forum.database import BUSY_TIMEOUT_SECONDS
from forum.database import MIGRATIONS_DIR
from forum.database import configure_sqlite
from forum.errors import register_error_handlers
from forum.extensions import csrf
from forum.extensions import db
from forum.extensions import limiter
from forum.extensions import login_manager
from forum.extensions import migrate
from forum.i18n import lazy_gettext
from forum.read_transactions import end_reads_with_commit
from forum.security import oidc
from forum.sqlite_changes import stamp_commits
from forum.sqlite_turns import take_turns
from forum.written_commits import count_written_commits

ROOT = Path(__file__).resolve().parent.parent


def create_app(overrides: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; `overrides` win over the environment (tests pass their settings here)."""
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "static"),
        instance_path=str(ROOT / "instance"),
    )
    load_config(app, overrides)
    logging_setup.configure(app.config["LOG_FORMAT"])
    _init_extensions(app)
    _register_web(app)
    _wrap_wsgi(app)
    return app


def _wrap_wsgi(app: Flask) -> None:
    from forum.web.caching import front

    if app.config["PAGE_CACHE"] != "off":
        front.install(app)
    if app.config["TRUSTED_PROXIES"]:
        # So rate limits and logs see the visitor's address. No x_host: absolute links come
        # from PORCH_SITE_URL, never from a Host header someone forwarded.
        hops = int(app.config["TRUSTED_PROXIES"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]


def _init_extensions(app: Flask) -> None:
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine)
        take_turns(db.engine, wait_seconds=BUSY_TIMEOUT_SECONDS)
        stamp_commits(db.engine)  # after take_turns: reads the transaction before its commit
        count_written_commits(db.engine)
        end_reads_with_commit(db.engine)  # after them: its commit goes through theirs
    migrate.init_app(app, db, directory=str(MIGRATIONS_DIR), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.session_protection = "strong"
    login_manager.login_view = "accounts.login"
    login_manager.login_message = lazy_gettext("Please sign in to see that page.")
    login_manager.localize_callback = str  # translated when flashed, in the reader's language
    oidc.init_app(app)
    i18n.init_app(app)
    deferred.init_app(app)
    from forum.services import rare_rows
    from forum.services import site_settings

    site_settings.install()  # settings read once per transaction, forgotten on any write
    rare_rows.install()  # and again after a write that changes the rare rows' version
    import forum.security.sessions  # noqa: F401  registers the user loader
    import forum.services.search.schema  # noqa: F401  the index's DDL rides on create_all
    import forum.services.version_notices  # noqa: F401  so does the page-version trigger


def _register_web(app: Flask) -> None:
    from forum.cli import register_cli
    from forum.web import register_blueprints
    from forum.web.ids import IdConverter

    app.url_map.converters["int"] = IdConverter  # before any route is added

    register_error_handlers(app)
    register_blueprints(app)
    register_cli(app)
