"""Configuration from the environment, secret keys, SQLite pragmas and security headers."""

from __future__ import annotations

from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from forum import create_app
from forum.config import ConfigurationError
from forum.extensions import db
from tests.conftest import make_app


def test_settings_come_from_porch_environment_variables(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PORCH_SITE_NAME", "The Porch Test")
    monkeypatch.setenv("PORCH_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    monkeypatch.setenv("PORCH_SECRET_KEY", "from-env")
    monkeypatch.setenv("PORCH_MAX_DEPTH", "3")
    app = create_app({"TESTING": True})
    assert app.config["SITE_NAME"] == "The Porch Test"
    assert app.config["SECRET_KEY"] == "from-env"
    assert app.config["MAX_DEPTH"] == 3
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite3")


def test_postgresql_urls_use_psycopg3(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORCH_DATABASE_URL", "postgresql://porch@db.internal/porch")
    app = create_app({"TESTING": True, "SECRET_KEY": "x"})
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://porch@db.internal/porch"


def test_production_refuses_to_start_without_its_public_address(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("PORCH_SITE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="PORCH_SITE_URL is not set"):
        create_app({"ENV": "production", "SECRET_KEY": "s", "DATABASE_URL": "sqlite://"})
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "s",
            "DATABASE_URL": "sqlite://",
            "SITE_URL": "https://talk.example.org",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_to_start_without_a_secret_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PORCH_SECRET_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="PORCH_SECRET_KEY is not set"):
        create_app({"ENV": "production", "DATABASE_URL": "sqlite://"})


def test_development_secret_key_is_generated_once_and_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PORCH_SECRET_KEY", raising=False)
    monkeypatch.setattr("forum.ROOT", tmp_path)
    first = create_app({"DATABASE_URL": "sqlite://"}).config["SECRET_KEY"]
    second = create_app({"DATABASE_URL": "sqlite://"}).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "instance" / "secret_key").read_text().strip() == first


def test_sqlite_file_database_uses_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    app = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}")
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000
        db.engine.dispose()


def test_pages_send_a_strict_content_security_policy(client: FlaskClient) -> None:
    response = client.get("/")
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_wsgi_module_exposes_the_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PORCH_DATABASE_URL", f"sqlite:///{tmp_path / 'wsgi.sqlite3'}")
    monkeypatch.setenv("PORCH_SECRET_KEY", "x")
    import importlib

    import wsgi

    assert isinstance(importlib.reload(wsgi).app, Flask)


def test_unexpected_error_shows_the_500_page_without_details(app: Flask) -> None:
    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert "Something went wrong" in body and "secret internals" not in body


def test_unknown_method_gets_405_page(client: FlaskClient) -> None:
    response = client.delete("/")
    assert response.status_code == 405
    assert "does not accept" in response.get_data(as_text=True)


def test_trusted_proxy_setting_makes_the_client_address_come_from_x_forwarded_for() -> None:
    from forum.web.actor import current_actor

    for proxies, expected in ((0, "10.0.0.1"), (1, "203.0.113.9")):
        app = make_app(TRUSTED_PROXIES=proxies)
        app.add_url_rule("/ip", "ip", lambda: str(current_actor().ip_address))
        response = app.test_client().get(
            "/ip",
            environ_base={"REMOTE_ADDR": "10.0.0.1"},
            headers={"X-Forwarded-For": "203.0.113.9"},
        )
        assert response.get_data(as_text=True) == expected


def test_form_action_allows_exactly_the_configured_sign_in_providers() -> None:
    app = make_app(
        OAUTH_GITHUB_CLIENT_ID="1234567",  # numeric ids arrive as JSON numbers from the environment
        OAUTH_GITHUB_CLIENT_SECRET="s",
        OAUTH_CORP_CLIENT_ID="c",
        OAUTH_CORP_CLIENT_SECRET="s",
        OAUTH_CORP_ISSUER="https://id.example.net/realms/main",
        OAUTH_HALF_CLIENT_ID="no secret, so not configured",
    )
    policy = app.test_client().get("/").headers["Content-Security-Policy"]
    form_action = next(part for part in policy.split("; ") if part.startswith("form-action"))
    assert form_action == "form-action 'self' https://github.com https://id.example.net"
    page = app.test_client().get("/account/login").get_data(as_text=True)
    assert "Sign in with GitHub" in page and "Sign in with Corp" in page and "Half" not in page
