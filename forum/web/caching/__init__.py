"""Page cache for anonymous readers, reply fragments for members, and CSRF defence that
needs no token in cached pages."""

from __future__ import annotations

import hashlib

from flask import Flask

from forum.services import cache_versions
from forum.web.caching import forms
from forum.web.caching import fragments
from forum.web.caching import origin
from forum.web.caching import remembered
from forum.web.caching import reply_lists
from forum.web.caching import shells
from forum.web.caching.session_cookie import SessionInterface
from forum.web.caching.store import make_store

bp = origin.bp


def register(app: Flask) -> None:
    cache_versions.install()
    app.extensions["porch_page_cache"] = make_store(app.config, app.instance_path)
    # Sites sharing a Redis or a directory must never see each other's pages.
    secret = f"{app.config['SECRET_KEY']}|{app.config['SQLALCHEMY_DATABASE_URI']}"
    app.extensions["porch_page_cache_namespace"] = hashlib.sha256(secret.encode()).hexdigest()[:16]
    app.extensions["porch_fragment_cache"] = fragments.make_fragment_store(app.config)
    app.extensions["porch_reply_list_cache"] = reply_lists.make_store(app.config)
    app.extensions["porch_reply_form_cache"] = forms.make_store(app.config)
    app.extensions["porch_page_shell_cache"] = shells.make_store(app.config)
    app.add_template_global(fragments.reply_card_html, "reply_card_html")
    app.session_interface = SessionInterface()
    app.register_blueprint(bp)
    # First of all before_request hooks: a forged request is refused before any work.
    app.before_request_funcs.setdefault(None, []).insert(0, origin.check_request)
    app.before_request(remembered.remember_for_reads)
    app.after_request(remembered.note_form_sent)
