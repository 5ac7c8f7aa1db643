"""Configuration: defaults, then PORCH_* environment variables, then explicit overrides.

This is the only module that reads the environment, so every setting is listed here.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Config
from flask import Flask
from sqlalchemy import make_url

from forum.database import sqlite_file
from forum.security import rate_file
from forum.security import rate_storage

DEFAULTS: dict[str, Any] = {
    "ENV": "development",  # "production" makes a missing SECRET_KEY fatal
    "SITE_NAME": "Porch",
    "DATABASE_URL": None,  # default: sqlite:///<instance>/porch.sqlite3
    "REDIS_URL": None,  # rate-limit storage shared by all workers when set
    "MAX_DEPTH": 5,  # reply nesting shown; deeper replies attach at the last level
    "REPLIES_PER_PAGE": 50,  # top-level replies per thread page
    "POSTS_PER_PAGE": 20,
    "BODY_MAX_LENGTH": 10_000,
    "NAME_MAX_LENGTH": 80,
    "POST_RATE_LIMIT": "10 per minute;100 per hour",
    "LIKE_RATE_LIMIT": "60 per minute;600 per hour",
    "REPORT_RATE_LIMIT": "10 per hour",  # reports of replies, per address
    "RATELIMIT_ENABLED": True,
    "MAX_CONTENT_LENGTH": 256 * 1024,  # request bodies; larger ones get the 413 page
    "CHECK_SCHEMA": True,  # refuse to serve on an un-migrated database
    "TRUSTED_PROXIES": 0,  # reverse proxies in front of Porch whose X-Forwarded-* to believe
    "SITE_URL": None,  # e.g. https://talk.example.org; fixes OAuth redirect URIs behind proxies
    "MAIL_FROM": "Porch <porch@localhost>",
    "MAIL_DIR": None,  # default: instance/mail; used when SMTP_URL is not set
    "SMTP_URL": None,  # smtp://user:pass@host:587 (STARTTLS) or smtps://...:465
    "SMTP_TIMEOUT": 30,  # seconds to wait for the mail server
    "MAIL_MAX_ATTEMPTS": 8,  # tries of a message on temporary failures, with growing waits
    "MAIL_LEASE_SECONDS": 300,  # a message claimed this long ago and not marked is retried
    "MAIL_BOUNCE_LIMIT": 3,  # hard failures before an address counts as bouncing
    "MAIL_THREAD_INTERVAL": 15 * 60,  # seconds: at most one mail per thread per subscriber
    "UNSUBSCRIBE_TOKEN_MAX_AGE": 365 * 24 * 60 * 60,
    "LOGIN_RATE_LIMIT": "10 per minute;50 per hour",
    "SIGNUP_RATE_LIMIT": "5 per hour",
    "RESET_RATE_LIMIT": "5 per hour",
    "RESET_TOKEN_MAX_AGE": 60 * 60,
    "VERIFY_TOKEN_MAX_AGE": 7 * 24 * 60 * 60,
    "OAUTH_TIMEOUT": 10,  # seconds to wait for a sign-in provider
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    # Flask-Login's remember-me cookie (unused today) gets the session cookie's protections.
    "REMEMBER_COOKIE_HTTPONLY": True,
    "REMEMBER_COOKIE_SAMESITE": "Lax",
    # Strict-Transport-Security max-age in seconds; 0 sends none. Turn it on only once the site
    # is served over https for good: browsers then refuse http for that long.
    "HSTS_SECONDS": 0,
    "PERMANENT_SESSION_LIFETIME": 60 * 60 * 24 * 90,
    "WTF_CSRF_TIME_LIMIT": None,  # tokens live as long as the session
    "JOBS_QUEUE_FILE": None,  # default: instance/huey.sqlite3 (the queue without Redis)
    "JOBS_IMMEDIATE": None,  # run tasks inline, no worker; default: on in tests only
    "WORKER_THREADS": 2,  # tasks one `porch worker` process runs at once
    "JOB_STALE_SECONDS": 600,  # a running job silent this long is requeued (or failed)
    "JOB_MAX_ATTEMPTS": 3,  # runs of a job before a stale one is marked failed
    "DIGEST_HOUR": 7,  # UTC hour of the moderators' daily digest
    "WEBHOOK_MAX_ATTEMPTS": 8,  # tries of a webhook delivery, 1, 2, 4... minutes apart
    "WEBHOOK_LEASE_SECONDS": 120,  # a delivery claimed this long ago and not marked is retried
    "WEBHOOK_TIMEOUT": 5,  # seconds to wait for a webhook receiver
    "WEBHOOK_ALLOW_HTTP_LOOPBACK": None,  # http://127.0.0.1 webhooks; default: on in tests only
    # Address ranges outgoing requests (webhooks) may reach although they are not public,
    # e.g. "127.0.0.1/32 10.20.0.0/16": a list, or one string separated by commas or spaces.
    "OUTGOING_ALLOW": [],
    "IMPORT_DIR": None,  # default: instance/imports; shared by web and workers
    "IMPORT_MAX_BYTES": 512 * 1024 * 1024,  # largest export file the Import page accepts
    # Anonymous readers' pages: "memory" (per process), "filesystem" (PAGE_CACHE_DIR, shared by
    # workers), "redis" (REDIS_URL) or "off"; default: redis with REDIS_URL, else memory.
    "PAGE_CACHE": None,
    "PAGE_CACHE_DIR": None,  # default: instance/page-cache
    "PAGE_CACHE_SECONDS": 60,  # longest a stored page lives (relative dates, scheduled posts)
    "PAGE_CACHE_S_MAXAGE": 10,  # Cache-Control s-maxage: how long a proxy or CDN may keep one
    "PAGE_CACHE_STALE_SECONDS": 60,  # stale-while-revalidate: served stale while it refreshes
    "PAGE_CACHE_MAX_BYTES": 64 * 1024 * 1024,  # a worker's pages in its own memory, in all
    "FRAGMENT_CACHE": True,  # members' pages join per-reply fragments kept in process memory
    "FRAGMENT_CACHE_MAX_BYTES": 32 * 1024 * 1024,
    # Members' thread pages share each page's whole reply list, kept in process memory.
    "REPLY_LIST_CACHE": True,
    "REPLY_LIST_CACHE_MAX_BYTES": 32 * 1024 * 1024,
    "REPLY_FORM_CACHE": True,  # members' blank reply forms too, per member and post
    "REPLY_FORM_CACHE_MAX_BYTES": 8 * 1024 * 1024,
    "PAGE_SHELL_CACHE": True,  # members' thread pages around the list and form, per post version
    "PAGE_SHELL_CACHE_MAX_BYTES": 16 * 1024 * 1024,
    # Sites whose pages may embed threads (https://blog.example.org, ...): a list, or one string
    # separated by commas or spaces. Only they may frame /embed/ pages or read /embed/counts.
    "EMBED_ORIGINS": [],
    # The token is checked by forum.web.caching.origin (with Origin / Sec-Fetch-Site first).
    "WTF_CSRF_CHECK_DEFAULT": False,
    "COMPRESS": True,  # gzip responses here; turn off when the reverse proxy compresses
    "COMPRESS_MIN_BYTES": 500,  # smaller bodies are sent as they are
    "LOG_FORMAT": None,  # "json" (one object per line) or "text"; default: text in tests
    "METRICS": False,  # serve Prometheus metrics at /metrics
}

# Apart from the literal above, whose every line bandit's B105 check would otherwise flag or
# warn about: it takes any key naming a secret or password for a hard-coded one. Neither is.
DEFAULTS["SECRET_KEY"] = None  # from PORCH_SECRET_KEY, else generated into instance/
DEFAULTS["PASSWORD_MIN_LENGTH"] = 10  # the shortest password accepted


class ConfigurationError(RuntimeError):
    """The app cannot start with this configuration; the message says what to set."""


def load_config(app: Flask, overrides: Mapping[str, Any] | None) -> None:
    """Fill app.config from defaults, the environment (PORCH_*) and overrides, in that order."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_prefixed_env("PORCH")
    if overrides:
        app.config.from_mapping(overrides)
    instance = Path(app.instance_path)
    _fill_instance_paths(app.config, instance)
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(app.config["DATABASE_URL"])
    testing = bool(app.config.get("TESTING"))
    for key in ("WEBHOOK_ALLOW_HTTP_LOOPBACK", "JOBS_IMMEDIATE"):  # on in tests unless set
        if app.config[key] is None:
            app.config[key] = testing
    app.config["EMBED_ORIGINS"] = _origin_list(app.config["EMBED_ORIGINS"])
    secure = app.config["ENV"] == "production" or _is_https(app.config["SITE_URL"])
    app.config["SESSION_COOKIE_SECURE"] = app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"] or _local_rate_storage(
        app.config["SQLALCHEMY_DATABASE_URI"]
    )
    if app.config["LOG_FORMAT"] is None:
        app.config["LOG_FORMAT"] = "text" if app.config.get("TESTING") else "json"
    # Set by gunicorn.conf.py when metrics are on: every worker writes its samples there.
    app.config["METRICS_DIR"] = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _development_secret(app, instance)
    if app.config["ENV"] == "production" and not app.config["SITE_URL"]:
        # Links in emails (password resets!) must not be built from a Host header a client sent.
        raise ConfigurationError(
            "PORCH_SITE_URL is not set. In production Porch needs the site's public address, "
            "e.g. PORCH_SITE_URL=https://talk.example.org, to build links in emails and sign-in "
            "callbacks."
        )


def _fill_instance_paths(config: Config, instance: Path) -> None:
    """Files the embedded default keeps in instance/ unless a setting points elsewhere."""
    if not config["DATABASE_URL"]:
        instance.mkdir(parents=True, exist_ok=True)
        config["DATABASE_URL"] = f"sqlite:///{instance / 'porch.sqlite3'}"
    for key, name in (("MAIL_DIR", "mail"), ("IMPORT_DIR", "imports")):
        if not config[key]:
            config[key] = str(instance / name)
    if not config["JOBS_QUEUE_FILE"]:
        config["JOBS_QUEUE_FILE"] = str(instance / "huey.sqlite3")


def _local_rate_storage(database_url: str) -> str:
    """Without Redis: the workers beside a SQLite file count together in a file beside it;
    otherwise (an in-memory database, or PostgreSQL without Redis) each process counts alone,
    which is why several app servers need Redis."""
    database = sqlite_file(make_url(database_url))
    return rate_file.uri_for(database) if database else f"{rate_storage.SCHEME}://"


def _origin_list(value: object) -> list[str]:
    """PORCH_EMBED_ORIGINS as written by people: a JSON list or a comma/space separated string."""
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or [])  # type: ignore[call-overload]
    return [str(item).strip().rstrip("/").lower() for item in items if str(item).strip()]


def _is_https(url: object) -> bool:
    """Cookies go over https only once the public address is https (or in production)."""
    return isinstance(url, str) and url.lower().startswith("https://")


def _normalise_db_url(url: str) -> str:
    """Accept plain postgresql:// URLs and use psycopg 3, the driver we ship."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def _development_secret(app: Flask, instance: Path) -> str:
    """Generate a key once and keep it in instance/, so sessions survive restarts."""
    if app.config["ENV"] == "production":
        raise ConfigurationError(
            "PORCH_SECRET_KEY is not set. In production Porch needs a fixed secret key shared by "
            "every worker: generate one with "
            "`python -c 'import secrets; print(secrets.token_hex(32))'` "
            "and export it as PORCH_SECRET_KEY."
        )
    if app.testing:
        return secrets.token_hex(32)
    key_file = instance / "secret_key"
    instance.mkdir(parents=True, exist_ok=True)
    try:  # O_EXCL: of several workers starting at once exactly one writes the key
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return _read_key(key_file)
    with os.fdopen(fd, "w") as out:
        out.write(secrets.token_hex(32))
    return _read_key(key_file)


def _read_key(key_file: Path) -> str:
    """The key another worker may be writing this instant: wait until it is whole."""
    for _ in range(50):
        key = key_file.read_text().strip()
        if len(key) == 64:
            return key
        time.sleep(0.01)
    return key_file.read_text().strip()
