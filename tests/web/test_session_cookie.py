"""The session cookie: its signer, built once per set of keys, signs and reads as Flask's
own does, and a new secret key (with the old as a fallback, or without) is honoured at once;
the cookie is sent again only when the session changed, is a day old, or an old key signed it."""

from __future__ import annotations

import time
from typing import Any
from unittest.mock import patch

from flask import Flask
from flask import request
from flask import session
from flask.sessions import SecureCookieSessionInterface
from itsdangerous import TimestampSigner

from tests.conftest import login_on
from tests.factories import make_post
from tests.factories import make_user


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


# ---- When the cookie is sent again -----------------------------------------------------------


def _routes(app: Flask) -> None:
    @app.get("/_test/start")
    def start() -> str:
        session.permanent = True  # as signing in and a guest's first reply make it
        session["seen"] = "yes"
        return "started"

    @app.get("/_test/peek")
    def peek() -> str:
        return str(session.get("seen", "nothing"))


def _set_cookie(response: Any, app: Flask) -> str | None:
    """The session cookie this response sets, if it sets one."""
    name = app.config["SESSION_COOKIE_NAME"]
    for header in response.headers.getlist("Set-Cookie"):
        if header.startswith(f"{name}="):
            return str(header.split(";", 1)[0].split("=", 1)[1])
    return None


def _signed_days_ago(app: Flask, days: float, values: dict[str, Any]) -> str:
    signed_at = int(time.time() - days * 86400)
    with patch.object(TimestampSigner, "get_timestamp", lambda _self: signed_at):
        return _cookie(app, values)


def test_an_unchanged_session_is_not_sent_again_on_every_page(app: Flask) -> None:
    _routes(app)
    client = app.test_client()
    assert _set_cookie(client.get("/_test/start"), app) is not None
    again = client.get("/_test/peek")
    assert again.get_data(as_text=True) == "yes" and _set_cookie(again, app) is None


def test_a_cookie_signed_over_a_day_ago_is_signed_and_sent_again(app: Flask) -> None:
    """So a member who keeps coming back is never signed out by the cookie's age."""
    _routes(app)
    client = app.test_client()
    old = _signed_days_ago(app, 1.5, {"seen": "yes", "_permanent": True})
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], old)
    answer = client.get("/_test/peek")
    fresh = _set_cookie(answer, app)
    assert answer.get_data(as_text=True) == "yes" and fresh is not None and fresh != old
    signer = app.session_interface.get_signing_serializer(app)  # type: ignore[attr-defined]
    values, signed_at = signer.loads(fresh, return_timestamp=True)
    assert values["seen"] == "yes" and time.time() - signed_at.timestamp() < 60
    recent = _signed_days_ago(app, 0.5, {"seen": "yes", "_permanent": True})
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], recent)
    assert _set_cookie(client.get("/_test/peek"), app) is None  # half a day: not yet


def test_a_cookie_only_an_old_key_vouches_for_moves_to_the_current_key(app: Flask) -> None:
    _routes(app)
    client = app.test_client()
    old = _cookie(app, {"seen": "yes", "_permanent": True})
    previous_key = app.secret_key
    app.config["SECRET_KEY"] = app.secret_key = "a-new-secret"
    app.config["SECRET_KEY_FALLBACKS"] = [previous_key]
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], old)
    moved = _set_cookie(client.get("/_test/peek"), app)
    assert moved is not None
    app.config["SECRET_KEY_FALLBACKS"] = []  # the old key retired: the moved cookie still holds
    assert _read(app, moved) == {"seen": "yes", "_permanent": True}
    client.set_cookie(app.config["SESSION_COOKIE_NAME"], moved)
    app.config["SECRET_KEY_FALLBACKS"] = [previous_key]
    assert _set_cookie(client.get("/_test/peek"), app) is None  # the current key signed it


def test_a_signed_in_member_s_second_page_sets_no_cookie(app: Flask) -> None:
    post, member = make_post(), make_user()
    client = app.test_client()
    login_on(client, member)
    with client.session_transaction() as signed_in:
        signed_in.permanent = True  # as the sign-in page makes it
    client.get(f"/t/{post.slug}")
    again = client.get(f"/t/{post.slug}")
    assert again.status_code == 200 and member.display_name in again.get_data(as_text=True)
    assert _set_cookie(again, app) is None
