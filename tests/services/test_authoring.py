"""Authors edit and delete their own replies: the window, re-moderation, revisions, deletion."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func
from sqlalchemy import select

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import Flag
from forum.models import FlagReason
from forum.models import Like
from forum.models import Reply
from forum.models import ReplyRevision
from forum.models import ReplyStatus
from forum.models import Role
from forum.security.actor import Actor
from forum.services.authoring import Deletion
from forum.services.authoring import delete_own_reply
from forum.services.authoring import edit_own_reply
from forum.services.authoring import may_delete
from forum.services.authoring import may_edit
from forum.services.moderation.bans import BanRequest
from forum.services.moderation.bans import ban
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

BROWSER = Actor(guest_token="browser-1", ip_address="192.0.2.1")
OTHER_BROWSER = Actor(guest_token="browser-2", ip_address="192.0.2.1")

pytestmark = pytest.mark.usefixtures("open_rules")


def _now() -> datetime:
    return datetime.now(UTC)


def _guest_reply(**fields: Any) -> Reply:
    fields.setdefault("created_at", _now())
    return make_reply(fields.pop("post", None) or make_post(), guest_token="browser-1", **fields)


def test_edit_own_reply_within_window_keeps_revision_and_marks_edited(app: object) -> None:
    user = make_user()
    reply = make_reply(make_post(), author=user, body_source="First words", created_at=_now())
    edited = edit_own_reply(actor=Actor(user=user), reply_id=reply.id, body="Better words")
    assert edited.body_source == "Better words"
    assert "Better words" in edited.body_html
    assert edited.edited_at is not None
    assert edited.status is ReplyStatus.APPROVED
    revision = db.session.scalars(select(ReplyRevision)).one()
    assert (revision.body_source, revision.edited_by_id, revision.by_author) == (
        "First words",
        user.id,
        True,
    )


def test_edit_own_reply_after_window_is_refused_and_text_unchanged(app: object) -> None:
    user = make_user()
    old = _now() - timedelta(minutes=16)
    reply = make_reply(make_post(), author=user, body_source="Kept", created_at=old)
    with pytest.raises(Forbidden, match="first 15 minutes"):
        edit_own_reply(actor=Actor(user=user), reply_id=reply.id, body="Changed")
    db.session.refresh(reply)
    assert reply.body_source == "Kept"
    assert reply.edited_at is None


def test_edit_window_setting_changes_the_deadline(app: object) -> None:
    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01, edit_window_minutes=60)
    user = make_user()
    reply = make_reply(make_post(), author=user, created_at=_now() - timedelta(minutes=30))
    assert may_edit(Actor(user=user), reply)
    set_rules(edit_window_minutes=0)
    assert not may_edit(Actor(user=user), reply)


def test_edit_by_moderator_any_time_is_audited(app: object) -> None:
    moderator = make_user(role=Role.MODERATOR)
    reply = make_reply(make_post(), body_source="Old guest text")  # posted long ago
    edit_own_reply(actor=Actor(user=moderator), reply_id=reply.id, body="Tidied text")
    assert reply.body_source == "Tidied text"
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action is AuditAction.EDIT
    revision = db.session.scalars(select(ReplyRevision)).one()
    assert (revision.edited_by_id, revision.by_author) == (moderator.id, False)


def test_edit_by_guest_from_same_browser_is_allowed_from_other_browser_refused(
    app: object,
) -> None:
    reply = _guest_reply(body_source="Guest words")
    with pytest.raises(Forbidden, match="Only the author"):
        edit_own_reply(actor=OTHER_BROWSER, reply_id=reply.id, body="Hijacked")
    assert not may_edit(OTHER_BROWSER, reply)
    assert may_edit(BROWSER, reply)
    edit_own_reply(actor=BROWSER, reply_id=reply.id, body="Guest words, fixed")
    revision = db.session.scalars(select(ReplyRevision)).one()
    assert (revision.edited_by_id, revision.by_author) == (None, True)


def test_edit_adding_three_links_holds_approved_reply_with_new_trace(app: object) -> None:
    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01, link_limit=2)
    reply = _guest_reply(body_source="No links here")
    links = "See https://a.example https://b.example and https://c.example"
    edited = edit_own_reply(actor=BROWSER, reply_id=reply.id, body=links)
    assert edited.status is ReplyStatus.PENDING
    assert edited.held_reason == "links"
    assert edited.decision_trace[0]["rule"] == "edit"
    verdicts = {step["rule"]: step["verdict"] for step in edited.decision_trace}
    assert verdicts["links"] == "hold"


def test_edit_that_is_clean_keeps_reply_approved_for_a_guest(app: object) -> None:
    set_rules(hold_first_time=True, flood_seconds=15, spam_threshold=1.01, spam_hold_threshold=1.01)
    reply = _guest_reply(body_source="Approved by a moderator")
    edited = edit_own_reply(actor=BROWSER, reply_id=reply.id, body="Approved, with a typo fixed")
    assert edited.status is ReplyStatus.APPROVED


def test_edit_of_held_reply_never_releases_it(app: object) -> None:
    reply = _guest_reply(status=ReplyStatus.PENDING, held_reason="flags")
    edited = edit_own_reply(actor=BROWSER, reply_id=reply.id, body="Now harmless")
    assert (edited.status, edited.held_reason) == (ReplyStatus.PENDING, "flags")


def test_edit_empty_text_is_invalid_and_nothing_changes(app: object) -> None:
    reply = _guest_reply(body_source="Stays")
    with pytest.raises(InvalidInput):
        edit_own_reply(actor=BROWSER, reply_id=reply.id, body="   ")
    assert reply.body_source == "Stays"
    assert db.session.scalar(select(func.count(ReplyRevision.id))) == 0


def test_edit_by_banned_account_or_on_spam_is_refused(app: object) -> None:
    user = make_user()
    spam = make_reply(make_post(), author=user, status=ReplyStatus.SPAM, created_at=_now())
    with pytest.raises(Forbidden, match="removed"):
        edit_own_reply(actor=Actor(user=user), reply_id=spam.id, body="Let me back in")
    reply = make_reply(make_post(), author=user, created_at=_now())
    moderator = make_user(role=Role.MODERATOR)
    ban(moderator=moderator, request=BanRequest(user_id=user.id, reason="abuse"))
    with pytest.raises(Forbidden):
        edit_own_reply(actor=Actor(user=user), reply_id=reply.id, body="Still here")


def test_delete_own_reply_without_answers_removes_row_likes_and_flags(app: object) -> None:
    reply = _guest_reply()
    db.session.add(Like(reply_id=reply.id, guest_token="someone"))
    db.session.add(
        Flag(reply_id=reply.id, reporter_token="x", reason=FlagReason.SPAM, body_snapshot="t")
    )
    db.session.commit()
    reply_id = reply.id
    assert delete_own_reply(actor=BROWSER, reply_id=reply_id) is Deletion.REMOVED
    db.session.expunge_all()
    assert db.session.get(Reply, reply_id) is None
    assert db.session.scalar(select(func.count(Like.id))) == 0
    assert db.session.scalar(select(func.count(Flag.id))) == 0


def test_delete_own_reply_with_visible_answer_leaves_placeholder(app: object) -> None:
    reply = _guest_reply(body_source="Question")
    answer = make_reply(reply.post, reply, body_source="Answer")
    assert delete_own_reply(actor=BROWSER, reply_id=reply.id) is Deletion.PLACEHOLDER
    db.session.refresh(reply)
    assert reply.deleted_at is not None
    assert db.session.get(Reply, answer.id) is not None
    with pytest.raises(NotFound):
        delete_own_reply(actor=BROWSER, reply_id=reply.id)


def test_delete_own_reply_by_other_browser_or_after_window_is_refused(app: object) -> None:
    reply = _guest_reply()
    with pytest.raises(Forbidden):
        delete_own_reply(actor=OTHER_BROWSER, reply_id=reply.id)
    old = _guest_reply(created_at=_now() - timedelta(hours=1))
    assert not may_delete(BROWSER, old)
    with pytest.raises(Forbidden, match="first 15 minutes"):
        delete_own_reply(actor=BROWSER, reply_id=old.id)
    moderator = make_user(role=Role.MODERATOR)
    assert not may_delete(Actor(user=moderator), reply)  # moderators trash, they do not delete
