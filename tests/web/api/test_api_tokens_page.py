"""Account settings: a token is shown once, stored hashed, listed by prefix, and revocable."""

from __future__ import annotations

import re

from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import ApiToken
from forum.models import Role
from tests.conftest import login_on
from tests.factories import make_user


def test_created_token_is_shown_once_and_stored_hashed(app: Flask, client: FlaskClient):
    login_on(client, make_user())
    page = client.post("/account/settings/tokens", data={"name": "backup", "read": "y"})
    assert page.status_code == 201
    assert page.headers["Cache-Control"] == "no-store"
    shown = re.search(r'id="token-secret"[^>]*>(porch_[^<]+)<', page.get_data(as_text=True))
    secret = shown.group(1)
    stored = db.session.query(ApiToken).one()
    assert secret not in (stored.secret_hash, stored.prefix) and secret.startswith(stored.prefix)
    assert (
        client.get("/api/v1/categories", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 200
    )
    settings = client.get("/account/settings").get_data(as_text=True)
    assert "backup" in settings and secret not in settings


def test_token_without_name_or_scope_keeps_form_with_errors(app: Flask, client: FlaskClient):
    login_on(client, make_user())
    page = client.post("/account/settings/tokens", data={"name": ""})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "name of 1 to 80" in text and "Choose one or more" in text


def test_member_cannot_make_a_moderate_token(app: Flask, client: FlaskClient):
    login_on(client, make_user(role=Role.MEMBER))
    page = client.post("/account/settings/tokens", data={"name": "x", "moderate": "y"})
    assert page.status_code == 400
    assert db.session.query(ApiToken).count() == 0


def test_revoke_from_settings_stops_the_token(app: Flask, client: FlaskClient):
    from forum.services import api_tokens

    user = login_on(client, make_user())
    made = api_tokens.create_token(user=user, name="old", scopes=["read"])
    response = client.post(f"/account/settings/tokens/{made.token.id}/revoke")
    assert response.status_code == 303
    refused = client.get("/api/v1/categories", headers={"Authorization": f"Bearer {made.secret}"})
    assert refused.status_code == 401
    assert "No tokens yet" in client.get("/account/settings").get_data(as_text=True)


def test_revoking_someone_elses_token_is_404(app: Flask, client: FlaskClient):
    from forum.services import api_tokens

    made = api_tokens.create_token(user=make_user(), name="theirs", scopes=["read"])
    login_on(client, make_user())
    assert client.post(f"/account/settings/tokens/{made.token.id}/revoke").status_code == 404
