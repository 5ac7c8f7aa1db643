"""Settings, public profiles, claiming guest replies, data export and account deletion."""

from __future__ import annotations

import json
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.models import Identity
from forum.models import Like
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.services.profiles import DELETED_USER_NAME
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


def _identity(user: User, provider: str = "github", picture: str | None = None) -> Identity:
    identity = Identity(
        user_id=user.id, provider=provider, subject=f"{provider}-{user.id}", picture_url=picture
    )
    db.session.add(identity)
    db.session.commit()
    return identity


@pytest.mark.parametrize("path", ["/account/settings", "/account/settings/export.json"])
def test_settings_pages_send_guests_to_sign_in(client: FlaskClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/login")


@pytest.mark.parametrize(
    "path",
    [
        "/account/settings/claim",
        "/account/settings/delete",
        "/account/settings/identities/1/unlink",
    ],
)
def test_settings_actions_refuse_guests(client: FlaskClient, path: str) -> None:
    response = client.post(path)
    assert response.status_code == 302 and response.headers["Location"].startswith("/account/login")


def test_profile_edit_saves_name_bio_and_picture_choice(client: FlaskClient, login: Any) -> None:
    user = login(make_user(display_name="Old name"))
    identity = _identity(user, picture="https://avatars.example.com/u/1.png")
    response = client.post(
        "/account/settings",
        data={
            "display_name": "New name",
            "bio": "I write about walks.",
            "avatar": str(identity.id),
        },
    )
    assert response.status_code == 303
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert saved is not None
    assert (saved.display_name, saved.bio, saved.avatar_url) == (
        "New name",
        "I write about walks.",
        identity.picture_url,
    )
    client.post(
        "/account/settings", data={"display_name": "New name", "bio": "", "avatar": "generated"}
    )
    db.session.expire_all()
    assert db.session.get(User, user.id).avatar_url is None  # type: ignore[union-attr]


def test_profile_edit_rejects_empty_name_and_unknown_picture(
    client: FlaskClient, login: Any
) -> None:
    login(make_user(display_name="Kept"))
    empty = client.post("/account/settings", data={"display_name": "", "avatar": "generated"})
    foreign = client.post("/account/settings", data={"display_name": "X", "avatar": "999"})
    assert empty.status_code == foreign.status_code == 400
    assert "Choose a name to show." in empty.get_data(as_text=True)
    assert db.session.scalars(select(User)).one().display_name == "Kept"


def test_public_profile_shows_member_and_only_approved_replies(client: FlaskClient) -> None:
    user = make_user(display_name="Pia", bio="Gardener.")
    post = make_post(title="Spring")
    make_reply(post, author=user, body_source="Public words")
    make_reply(post, author=user, body_source="Held words", status=ReplyStatus.PENDING)
    page = client.get(f"/u/{user.id}").get_data(as_text=True)
    assert "Pia" in page and "Gardener." in page and "1 reply" in page
    assert "Public words" in page and "Held words" not in page and "Spring" in page
    assert user.email not in page  # type: ignore[operator]
    assert client.get("/u/424242").status_code == 404


def test_verified_member_claims_replies_written_as_guest(client: FlaskClient, login: Any) -> None:
    user = login(make_user(email="kim@example.org", email_verified_at=datetime.now(UTC)))
    post = make_post()
    mine = make_reply(post, guest_name="Kim", guest_email="Kim@Example.org")
    someone_else = make_reply(post, guest_name="Lee", guest_email="lee@example.org")
    assert "You wrote 1 reply as a guest" in client.get("/account/settings").get_data(as_text=True)
    client.post("/account/settings/claim")
    db.session.expire_all()
    assert db.session.get(Reply, mine.id).author_id == user.id  # type: ignore[union-attr]
    assert db.session.get(Reply, someone_else.id).author_id is None  # type: ignore[union-attr]


def test_unverified_member_cannot_claim_guest_replies(client: FlaskClient, login: Any) -> None:
    login(make_user(email="kim@example.org"))
    reply = make_reply(make_post(), guest_email="kim@example.org")
    assert "as a guest" not in client.get("/account/settings").get_data(as_text=True)
    assert client.post("/account/settings/claim").status_code == 400
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).author_id is None  # type: ignore[union-attr]


def test_unlink_refuses_the_last_way_in_and_allows_others(client: FlaskClient, login: Any) -> None:
    user = login(make_user())
    only = _identity(user)
    refused = client.post(f"/account/settings/identities/{only.id}/unlink")
    assert refused.status_code == 403 and "only way to sign in" in refused.get_data(as_text=True)
    second = _identity(user, provider="google")
    assert client.post(f"/account/settings/identities/{second.id}/unlink").status_code == 303
    assert [i.provider for i in db.session.scalars(select(Identity))] == ["github"]


def test_unlinking_someone_elses_identity_is_404(client: FlaskClient, login: Any) -> None:
    login(make_user())
    theirs = _identity(make_user())
    assert client.post(f"/account/settings/identities/{theirs.id}/unlink").status_code == 404


def test_export_downloads_my_data_as_json_without_secrets(client: FlaskClient, login: Any) -> None:
    user = login(make_user(display_name="Exporter", password_hash="scrypt:secret-hash"))
    _identity(user)
    make_reply(make_post(), author=user, body_source="Mine")
    response = client.get("/account/settings/export.json")
    data = json.loads(response.get_data(as_text=True))
    assert "attachment" in response.headers["Content-Disposition"]
    assert data["account"]["display_name"] == "Exporter" and data["account"]["has_password"] is True
    assert data["identities"][0]["provider"] == "github"
    assert data["replies"][0]["body"] == "Mine"
    assert "secret-hash" not in response.get_data(as_text=True)
    assert user.session_token not in response.get_data(as_text=True)


def test_delete_account_keeps_replies_as_deleted_user_and_signs_out(
    app: Flask, client: FlaskClient, login: Any
) -> None:
    user = login(make_user(display_name="Leaving"))
    user_id = user.id
    post = make_post()
    reply = make_reply(post, author=user, body_source="Still here")
    liked = make_reply(post)
    client.post(f"/replies/{liked.id}/like", data={"liked": "1"})
    refused = client.post("/account/settings/delete", data={"confirm": "yes"})
    assert refused.status_code == 400 and db.session.get(User, user.id) is not None
    response = client.post("/account/settings/delete", data={"confirm": "delete my account"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user_id) is None
    kept = db.session.get(Reply, reply.id)
    assert kept is not None and kept.author_id is None and kept.author_name == DELETED_USER_NAME
    assert db.session.get(Reply, liked.id).like_count == 0  # type: ignore[union-attr]
    assert db.session.scalars(select(Like)).all() == []
    page = client.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "Still here" in page and DELETED_USER_NAME in page and "Log out" not in page
