"""Fixtures: a fresh app and database per test, a client, and a query counter.

By default each test gets an in-memory SQLite database. With PORCH_TEST_DATABASE_URL set
(CI sets a PostgreSQL URL) the schema is built once and every table is emptied after each test.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event
from sqlalchemy import text

from forum import create_app
from forum import i18n_build
from forum.extensions import db
from forum.extensions import login_manager
from forum.models import User
from forum.services.search import schema as search_schema

EXTERNAL_DATABASE_URL = os.environ.get("PORCH_TEST_DATABASE_URL")

TEST_CONFIG: dict[str, Any] = {
    "TESTING": True,
    "SECRET_KEY": "test-secret",
    "CHECK_SCHEMA": False,
    "RATELIMIT_ENABLED": False,
    "WTF_CSRF_ENABLED": False,
    "OUTGOING_ALLOW": "127.0.0.1/32",  # webhook receivers in tests listen on loopback
    "DATABASE_URL": EXTERNAL_DATABASE_URL or "sqlite://",
}

_schema_ready = False
_apps_made: list[Flask] = []


def make_app(**overrides: Any) -> Flask:
    app = create_app({**TEST_CONFIG, **overrides})
    _apps_made.append(app)
    return app


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations() -> None:
    """`make test` compiles the catalogues first; a bare `pytest` on a fresh clone does it here."""
    if i18n_build.stale():
        i18n_build.compile_catalogues()


@pytest.fixture(autouse=True)
def _close_connections() -> Iterator[None]:
    """Close every pooled connection of the apps a test made, so none is left to the GC."""
    yield
    while _apps_made:
        app = _apps_made.pop()
        front = app.extensions.get("porch_page_front")
        if front is not None:
            front.versions.close()
        with app.app_context():
            db.engine.dispose()


def _empty_external_database() -> None:
    names = [table.name for table in db.metadata.sorted_tables] + [search_schema.TABLE]
    tables = ", ".join(f'"{name}"' for name in names)
    db.session.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    db.session.commit()


@contextmanager
def database_for(app: Flask) -> Iterator[None]:
    """Create tables (once, on an external database) and leave them empty afterwards."""
    global _schema_ready
    shared = (
        EXTERNAL_DATABASE_URL is not None and app.config["DATABASE_URL"] == EXTERNAL_DATABASE_URL
    )
    with app.app_context():
        if not shared:  # a database of this test's own (in memory, or a file it named)
            db.create_all()
        elif not _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready = True
        try:
            yield
        finally:
            db.session.remove()
            if shared:
                _empty_external_database()
            db.engine.dispose()


@pytest.fixture
def app() -> Iterator[Flask]:
    app = make_app()
    with database_for(app):
        yield app


class RequestScopedClient(FlaskClient):
    """Runs each request in its own app context, as a server does.

    Tests keep an app context open for factories; without this, requests would share its
    `g` and database session with the test and with each other.
    """

    def open(self, *args: Any, **kwargs: Any) -> Any:
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture
def open_rules(app: Flask) -> None:
    """Replies go straight up: for tests about replying itself, not about moderation rules."""
    from tests.factories import set_rules

    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    app.test_client_class = RequestScopedClient
    return app.test_client()


def login_on(client: FlaskClient, user: User) -> User:
    """Sign a user in on a test client, as Flask-Login would after a real sign-in."""
    environ = client.application.test_request_context(environ_base=client.environ_base)
    with environ:  # strong session protection checks this identifier on each request
        identifier = login_manager._session_identifier_generator()
    with client.session_transaction() as session:
        session["_user_id"] = user.session_token
        session["_fresh"] = True
        session["_id"] = identifier
    return user


@pytest.fixture
def csrf_client() -> Iterator[FlaskClient]:
    """A client of an app with CSRF protection on, as in production (other tests turn it off)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    app.test_client_class = RequestScopedClient
    with database_for(app):
        yield app.test_client()


@pytest.fixture
def login(client: FlaskClient) -> Any:
    """login(user) signs the user in on the `client` fixture."""
    return lambda user: login_on(client, user)


def reading_afresh(client: FlaskClient) -> None:
    """As just after a form, for the rest of the test: the client's page reads take nothing
    remembered between requests (web/caching/remembered.py), so each pays its full cost."""
    from forum.web.caching import remembered

    with client.session_transaction() as session:
        session[remembered.SENT_AT] = int(time.time()) + 3600


@pytest.fixture
def count_queries(app: Flask) -> Any:
    """Context manager counting SQL statements sent while it is open, on the app's engine and
    on the page-version reader's (page reads take remembered rows through it)."""

    @contextmanager
    def counting() -> Iterator[list[str]]:
        statements: list[str] = []

        def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
            statements.append(statement)

        engines = {db.engine}
        front = app.extensions.get("porch_page_front")
        if front is not None:
            engines.add(front.versions._engine)
        for engine in engines:
            event.listen(engine, "before_cursor_execute", record)
        try:
            yield statements
        finally:
            for engine in engines:
                event.remove(engine, "before_cursor_execute", record)

    return counting
