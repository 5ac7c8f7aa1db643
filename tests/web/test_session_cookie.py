"""The session cookie's signer, built once per set of keys: it signs and reads as Flask's
own does, and a new secret key (with the old as a fallback, or without) is honoured at once."""

from __future__ import annotations

from flask import Flask
from flask import request
from flask import session
from flask.sessions import SecureCookieSessionInterface


def _cookie(app: Flask, values: dict[str, str]) -> str:
    with app.test_request_context("/"):
        serializer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        return str(serializer.dumps(values))


def _read(app: Flask, cookie: str) -> dict[str, str]:
    headers = {"Cookie": f"{app.config['SESSION_COOKIE_NAME']}={cookie}"}
    with app.test_request_context("/", headers=headers):
        opened = app.session_interface.open_session(app, request)
        return dict(opened or {})


def test_the_cookie_is_the_one_flask_signs_and_reads(app: Flask) -> None:
    ours = _cookie(app, {"guest": "Ada"})
    theirs = SecureCookieSessionInterface().get_signing_serializer(app)
    assert theirs is not None
    assert theirs.loads(ours) == {"guest": "Ada"}
    assert _read(app, str(theirs.dumps({"guest": "Bo"}))) == {"guest": "Bo"}
    with app.test_request_context("/"):
        first = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
        assert app.session_interface.get_signing_serializer(app) is first  # type: ignore[attr-defined]


def test_a_new_secret_key_is_used_at_once_and_the_old_one_only_as_a_fallback(
    app: Flask,
) -> None:
    old = _cookie(app, {"guest": "Ada"})
    previous_key = app.secret_key
    app.config["SECRET_KEY"] = app.secret_key = "a-new-secret"
    assert _read(app, old) == {}  # no fallback: the old cookie is not trusted
    app.config["SECRET_KEY_FALLBACKS"] = [previous_key]
    assert _read(app, old) == {"guest": "Ada"}
    new = _cookie(app, {"guest": "Bo"})
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert _read(app, new) == {"guest": "Bo"}  # signed with the new key, not the old


def test_a_request_that_changes_the_session_reads_it_back(app: Flask) -> None:
    @app.get("/_test/remember")
    def remember() -> str:
        session["seen"] = session.get("seen", 0) + 1
        return str(session["seen"])

    client = app.test_client()
    assert client.get("/_test/remember").get_data(as_text=True) == "1"
    assert client.get("/_test/remember").get_data(as_text=True) == "2"
