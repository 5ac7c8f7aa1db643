"""What a moderator does on the dashboard, done through the API: the same services, the same log."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import AuditEntry
from forum.models import Flag
from forum.models import FlagReason
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from tests.conftest import login_on
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.web.api.conftest import SAME_ORIGIN
from tests.web.api.conftest import answer
from tests.web.api.conftest import bearer

pytestmark = pytest.mark.usefixtures("open_rules")


@pytest.fixture
def mod(app: Flask) -> dict[str, str]:
    return bearer(make_user(role=Role.MODERATOR), "moderate")


def _status(reply: Reply) -> ReplyStatus:
    db.session.expire_all()
    return db.session.get(Reply, reply.id).status


def _report(reply: Reply, reporter: User | None = None) -> Flag:
    flag = Flag(
        reply_id=reply.id,
        reporter_id=(reporter or make_user()).id,
        reason=FlagReason.ABUSE,
        note="rude",
        body_snapshot=reply.body_source,
    )
    db.session.add(flag)
    db.session.commit()
    return flag


def test_queue_filters_by_post_author_text_and_held_reason(client: FlaskClient, mod):
    first, second = make_post(), make_post()
    wanted = make_reply(
        first, status=ReplyStatus.PENDING, guest_name="Mallory", body_source="cheap pills"
    )
    wanted.held_reason = "links"
    make_reply(second, status=ReplyStatus.PENDING, guest_name="Mallory")
    make_reply(first, status=ReplyStatus.PENDING, guest_name="Bob", body_source="cheap pills")
    db.session.commit()
    url = f"/api/v1/moderation/queue?post={first.id}&author=mall&q=PILLS&reason=links"
    data = answer(client.get(url, headers=mod), "moderation_queue", 200)
    assert [item["id"] for item in data["items"]] == [wanted.id]
    assert {"reason": "links", "count": 1} in data["groups"]


def test_queue_filter_with_bad_post_id_gets_field_error(client: FlaskClient, mod):
    response = client.get("/api/v1/moderation/queue?post=abc&tab=nope", headers=mod)
    assert set(answer(response, "moderation_queue", 400)["error"]["fields"]) == {"post", "tab"}


def test_item_detail_shows_reports_history_and_replies_below(client: FlaskClient, mod):
    post = make_post()
    reply = make_reply(post)
    make_reply(post, parent=reply)
    _report(reply)
    url = f"/api/v1/moderation/replies/{reply.id}"
    data = answer(client.get(url, headers=mod), "moderation_item", 200)
    assert [r["note"] for r in data["reports"]] == ["rude"]
    assert data["replies_below"] == 1
    assert data["author_history"]["approved"] == 1
    assert client.get("/api/v1/moderation/replies/999999", headers=mod).status_code == 404


def test_moderator_edit_keeps_old_text_and_logs_the_reason(client: FlaskClient, mod):
    reply = make_reply(make_post(), body_source="My phone is 555-1234")
    edited = client.patch(
        f"/api/v1/moderation/replies/{reply.id}",
        json={"body": "My phone is [removed]", "reason": "personal data"},
        headers=mod,
    )
    data = answer(edited, "moderator_edit", 200)
    assert "[removed]" in data["body_html"]
    assert [r["body_source"] for r in data["revisions"]] == ["My phone is 555-1234"]
    log = answer(client.get("/api/v1/moderation/audit?action=edit", headers=mod), "audit_log")
    assert log["entries"][0]["reason"] == "personal data"


def test_moderator_edit_with_blank_text_is_refused(client: FlaskClient, mod):
    reply = make_reply(make_post())
    url = f"/api/v1/moderation/replies/{reply.id}"
    response = client.patch(url, json={"body": "   "}, headers=mod)
    assert "body" in answer(response, "moderator_edit", 400)["error"]["fields"]


def test_moderator_reply_approves_held_parent_and_answers_it(client: FlaskClient, mod):
    held = make_reply(make_post(), status=ReplyStatus.PENDING)
    response = client.post(
        f"/api/v1/moderation/replies/{held.id}/replies", json={"body": "Welcome!"}, headers=mod
    )
    data = answer(response, "moderator_reply", 201)
    assert data["approved"] == [held.id]
    assert _status(held) is ReplyStatus.APPROVED
    answer_row = db.session.get(Reply, data["id"])
    assert answer_row.parent_id == held.id
    assert answer_row.status is ReplyStatus.APPROVED


def test_branch_trash_then_undo_puts_the_branch_back(client: FlaskClient, mod):
    post = make_post()
    root = make_reply(post)
    child = make_reply(post, parent=root)
    other = make_reply(post)
    branched = client.post(
        f"/api/v1/moderation/replies/{root.id}/branch",
        json={"action": "trash", "reason": "flame war"},
        headers=mod,
    )
    entry = answer(branched, "moderate_branch", 200)
    assert sorted(entry["target_ids"]) == sorted([root.id, child.id])
    assert _status(child) is ReplyStatus.TRASH and _status(other) is ReplyStatus.APPROVED
    undone = client.post(f"/api/v1/moderation/audit/{entry['id']}/undo", headers=mod)
    assert answer(undone, "undo_entry", 200)["action"] == "undo"
    assert _status(root) is ReplyStatus.APPROVED and _status(child) is ReplyStatus.APPROVED
    log = answer(
        client.get(f"/api/v1/moderation/audit?target={child.id}", headers=mod), "audit_log"
    )
    assert [e["undone"] for e in log["entries"]] == [False, True]  # the undo, then the branch


def test_undo_twice_is_refused_with_a_reason(client: FlaskClient, mod):
    held = make_reply(make_post(), status=ReplyStatus.PENDING)
    acted = client.post(
        "/api/v1/moderation/actions", json={"action": "approve", "ids": [held.id]}, headers=mod
    )
    entry_id = answer(acted, "moderate", 200)["entry_id"]
    assert client.post(f"/api/v1/moderation/audit/{entry_id}/undo", headers=mod).status_code == 200
    assert _status(held) is ReplyStatus.PENDING
    again = client.post(f"/api/v1/moderation/audit/{entry_id}/undo", headers=mod)
    assert "entry" in answer(again, "undo_entry", 400)["error"]["fields"]
    missing = client.post("/api/v1/moderation/audit/999999/undo", headers=mod)
    assert missing.status_code == 404


def test_keep_dismisses_reports_and_undo_reopens_them(client: FlaskClient, mod):
    reply = make_reply(make_post())
    _report(reply)
    kept = client.post(
        "/api/v1/moderation/actions", json={"action": "keep", "ids": [reply.id]}, headers=mod
    )
    data = answer(kept, "moderate", 200)
    assert data["changed"] == [reply.id]
    assert data["counts"]["flagged"] == 0
    client.post(f"/api/v1/moderation/audit/{data['entry_id']}/undo", headers=mod)
    flagged = client.get("/api/v1/moderation/queue?tab=flagged", headers=mod).get_json()
    assert [item["id"] for item in flagged["items"]] == [reply.id]


def test_bulk_action_changes_each_reply_and_counts_the_rest(client: FlaskClient, mod):
    post = make_post()
    held = [make_reply(post, status=ReplyStatus.PENDING) for _ in range(3)]
    spam = make_reply(post, status=ReplyStatus.SPAM)
    body = {"action": "trash", "ids": [r.id for r in held] + [spam.id, 999999]}
    data = answer(client.post("/api/v1/moderation/actions", json=body, headers=mod), "moderate")
    assert sorted(data["changed"]) == sorted(r.id for r in [*held, spam])
    assert data["skipped"] == 1
    assert data["counts"]["trash"] == 4


def test_group_approval_approves_only_that_rules_replies(client: FlaskClient, mod):
    post = make_post()
    linked = [make_reply(post, status=ReplyStatus.PENDING) for _ in range(2)]
    first_timer = make_reply(post, status=ReplyStatus.PENDING)
    for reply in linked:
        reply.held_reason = "links"
    first_timer.held_reason = "first_time"
    db.session.commit()
    response = client.post(
        "/api/v1/moderation/groups/approve", json={"reason": "links"}, headers=mod
    )
    assert sorted(answer(response, "approve_group", 200)["changed"]) == [r.id for r in linked]
    assert _status(first_timer) is ReplyStatus.PENDING
    emptied = client.post(
        "/api/v1/moderation/groups/approve", json={"reason": "links"}, headers=mod
    )
    assert answer(emptied, "approve_group", 200)["changed"] == []


def test_ban_for_some_days_then_unban(client: FlaskClient, mod):
    target = make_user()
    reply = make_reply(make_post(), author=target)
    made = client.post(
        "/api/v1/moderation/bans",
        json={"user_id": target.id, "days": 7, "remove_replies": True},
        headers=mod,
    )
    ban = answer(made, "create_ban", 201)
    ends = datetime.fromisoformat(ban["expires_at"])
    assert timedelta(days=6) < ends.replace(tzinfo=ends.tzinfo or UTC) - datetime.now(UTC)
    assert _status(reply) is ReplyStatus.TRASH
    lifted = client.post(f"/api/v1/moderation/bans/{ban['id']}/lift", json={}, headers=mod)
    assert answer(lifted, "lift_ban", 200)["lifted_at"] is not None
    assert not db.session.get(User, target.id).is_banned


def test_moderator_cannot_be_banned_through_the_api(client: FlaskClient, mod):
    other = make_user(role=Role.MODERATOR)
    response = client.post("/api/v1/moderation/bans", json={"user_id": other.id}, headers=mod)
    assert answer(response, "create_ban", 403)["error"]["code"] == "forbidden"


def test_admin_session_undoes_from_the_audit_log(client: FlaskClient):
    reply = make_reply(make_post())
    admin = login_on(client, make_user(role=Role.ADMIN))
    acted = client.post(
        "/api/v1/moderation/actions",
        json={"action": "spam", "ids": [reply.id]},
        headers=SAME_ORIGIN,
    )
    entry_id = acted.get_json()["entry_id"]
    undone = client.post(f"/api/v1/moderation/audit/{entry_id}/undo", headers=SAME_ORIGIN)
    assert answer(undone, "undo_entry", 200)["actor"] == admin.display_name
    assert _status(reply) is ReplyStatus.APPROVED
    assert db.session.query(AuditEntry).count() == 2


def test_search_finds_replies_in_every_status_with_marked_snippets(client: FlaskClient, mod):
    post = make_post()
    make_reply(post, status=ReplyStatus.SPAM, body_source="Buy <b>cheap</b> watches")
    make_reply(post, body_source="A fine watches review")
    url = "/api/v1/moderation/search?q=watches"
    data = answer(client.get(url, headers=mod), "moderation_search", 200)
    assert data["total"] == 2
    assert {hit["status"] for hit in data["hits"]} == {"spam", "approved"}
    assert all("<mark>" in hit["snippet_html"] for hit in data["hits"])
    assert all("<b>" not in hit["snippet_html"] for hit in data["hits"])


def test_search_with_bad_dates_gets_field_errors(client: FlaskClient, mod):
    response = client.get("/api/v1/moderation/search?q=x&from=yesterday&page=0", headers=mod)
    assert set(answer(response, "moderation_search", 400)["error"]["fields"]) == {"page"}
    response = client.get("/api/v1/moderation/search?q=x&from=yesterday", headers=mod)
    assert set(answer(response, "moderation_search", 400)["error"]["fields"]) == {"from"}
