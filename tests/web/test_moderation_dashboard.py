"""The moderator dashboard: queue, bulk and single actions, items, branches, bans, audit, undo."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.mail import plain_text
from forum.mail import read_outbox
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import Ban
from forum.models import Reply
from forum.models import ReplyRevision
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

PENDING, APPROVED, SPAM, TRASH = (
    ReplyStatus.PENDING,
    ReplyStatus.APPROVED,
    ReplyStatus.SPAM,
    ReplyStatus.TRASH,
)


@pytest.fixture
def moderator(client: FlaskClient, login: Any) -> User:
    return login(make_user(display_name="Mod Mo", role=Role.MODERATOR))


def _status(reply_id: int) -> ReplyStatus:
    db.session.expire_all()
    reply = db.session.get(Reply, reply_id)
    assert reply is not None
    return reply.status


def _entries(action: AuditAction) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_pending_tab_shows_held_replies_with_reason_trace_history_and_counts(
    client: FlaskClient, moderator: User
) -> None:
    post = make_post(title="Part three")
    make_reply(post, guest_email="ann@example.org")
    held = make_reply(
        post,
        status=PENDING,
        guest_name="Ann",
        guest_email="ann@example.org",
        held_reason="links",
        decision_trace=[{"rule": "links", "detail": "3 links ≥ 2", "verdict": "hold"}],
        body_source="Look at my links",
    )
    make_reply(post, status=SPAM)
    html = client.get("/mod/queue/pending").get_data(as_text=True)
    assert f'id="q{held.id}"' in html and "Look at my links" in html
    assert 'class="reason-tag reason-links"' in html and "3 links ≥ 2" in html
    assert "1 approved · 1 pending · 0 spam · 0 trash" in html  # Ann's history
    assert 'data-count="pending">1<' in html and 'data-count="spam">1<' in html
    assert "Part three" in html


@pytest.mark.parametrize(
    ("query", "kept"),
    [("q=needle", "a"), ("email=bee@", "b"), ("ip=203.0.113", "a"), ("author=Bee", "b")],
)
def test_queue_filters(client: FlaskClient, moderator: User, query: str, kept: str) -> None:
    post = make_post()
    a = make_reply(
        post,
        status=PENDING,
        body_source="a needle here",
        guest_name="Ann",
        guest_email="ann@example.org",
        ip_address="203.0.113.9",
    )
    b = make_reply(
        post,
        status=PENDING,
        body_source="plain",
        guest_name="Bee",
        guest_email="bee@example.org",
        ip_address="198.51.100.1",
    )
    html = client.get(f"/mod/queue/pending?{query}").get_data(as_text=True)
    shown = {name for name, reply in (("a", a), ("b", b)) if f'id="q{reply.id}"' in html}
    assert shown == {kept}


def test_bulk_approve_changes_only_eligible_replies_and_logs_before_and_after(
    client: FlaskClient, moderator: User
) -> None:
    post = make_post()
    held = [make_reply(post, status=PENDING) for _ in range(3)]
    already = make_reply(post)
    ids = [r.id for r in held] + [already.id]
    response = client.post(
        "/mod/act",
        data={"action": "approve", "ids": [str(i) for i in ids], "next": "/mod/queue/pending"},
    )
    assert response.status_code == 303 and response.headers["Location"] == "/mod/queue/pending"
    assert [_status(r.id) for r in held] == [APPROVED] * 3
    entry = _entries(AuditAction.APPROVE)[0]
    assert sorted(entry.target_ids) == sorted(r.id for r in held)
    assert entry.before == {"status": {str(r.id): "pending" for r in held}}
    assert entry.after == {"status": "approved"} and entry.actor_name == "Mod Mo"
    page = client.get("/mod/queue/pending").get_data(as_text=True)
    assert "Approved 3 replies. 1 skipped" in page and "Undo" in page


def test_row_button_acts_on_its_own_reply_and_json_returns_counts(
    client: FlaskClient, moderator: User
) -> None:
    post = make_post()
    one, other = make_reply(post, status=PENDING), make_reply(post, status=PENDING)
    response = client.post(
        "/mod/act",
        data={"single": f"spam:{one.id}", "ids": [str(other.id)]},
        headers={"Accept": "application/json"},
    )
    body = response.get_json()
    assert (
        body["changed"] == [one.id]
        and body["counts"]["spam"] == 1
        and body["counts"]["pending"] == 1
    )
    assert _status(one.id) is SPAM and _status(other.id) is PENDING


def test_unknown_action_or_no_selection_is_400_and_changes_nothing(
    client: FlaskClient, moderator: User
) -> None:
    reply = make_reply(make_post(), status=PENDING)
    assert (
        client.post("/mod/act", data={"action": "delete", "ids": [str(reply.id)]}).status_code
        == 400
    )
    assert client.post("/mod/act", data={"action": "approve"}).status_code == 400
    assert _status(reply.id) is PENDING


def test_approve_all_in_a_group(client: FlaskClient, moderator: User) -> None:
    post = make_post()
    links = [make_reply(post, status=PENDING, held_reason="links") for _ in range(2)]
    first = make_reply(post, status=PENDING, held_reason="first_time")
    html = client.get("/mod/queue/pending").get_data(as_text=True)
    assert "Approve all 2" in html
    client.post("/mod/group", data={"reason": "links"})
    assert [_status(r.id) for r in links] == [APPROVED, APPROVED] and _status(first.id) is PENDING


def test_approving_tells_the_author_who_asked(
    app: Flask, client: FlaskClient, moderator: User, tmp_path: Path
) -> None:
    app.config["MAIL_DIR"] = str(tmp_path)
    asked = make_reply(
        make_post(), status=PENDING, guest_email="asked@example.org", notify_author=True
    )
    silent = make_reply(make_post(), status=PENDING, guest_email="silent@example.org")
    client.post("/mod/act", data={"action": "approve", "ids": [str(asked.id), str(silent.id)]})
    mails = read_outbox(tmp_path)
    assert [m["To"] for m in mails] == ["asked@example.org"]
    assert "is published" in mails[0]["Subject"] and f"/c/{asked.id}" in plain_text(mails[0])


def test_moving_a_reply_out_of_approved_hides_it_and_updates_counts(
    client: FlaskClient, moderator: User
) -> None:
    post = make_post()
    parent = make_reply(post, body_source="Soon trashed")
    make_reply(post, parent, body_source="Kept child")
    client.post("/mod/act", data={"action": "trash", "ids": [str(parent.id)]})
    guest = client.application.test_client()
    page = guest.get(f"/t/{post.slug}").get_data(as_text=True)
    assert "Soon trashed" not in page and "This reply was removed." in page and "Kept child" in page
    assert "1 reply</span>" in page
    assert "1 reply" in guest.get("/").get_data(as_text=True)


def test_item_page_edit_keeps_history(client: FlaskClient, moderator: User) -> None:
    reply = make_reply(make_post(), body_source="Original words")
    assert "Original words" in client.get(f"/mod/replies/{reply.id}").get_data(as_text=True)
    client.post(
        f"/mod/replies/{reply.id}/edit", data={"body": "Edited **words**", "reason": "typo"}
    )
    db.session.expire_all()
    edited = db.session.get(Reply, reply.id)
    assert edited is not None and edited.body_html == "<p>Edited <strong>words</strong></p>"
    assert edited.edited_at is not None
    assert [r.body_source for r in db.session.scalars(select(ReplyRevision))] == ["Original words"]
    assert _entries(AuditAction.EDIT)[0].before == {"body": "Original words"}


def test_reply_as_moderator_approves_a_held_parent_first(
    client: FlaskClient, moderator: User
) -> None:
    post = make_post()
    held = make_reply(post, status=PENDING)
    response = client.post(f"/mod/replies/{held.id}/reply", data={"body": "Welcome!"})
    answer = db.session.scalars(select(Reply).where(Reply.parent_id == held.id)).one()
    assert response.status_code == 303 and _status(held.id) is APPROVED
    assert answer.author_id == moderator.id and answer.status is APPROVED
    assert _entries(AuditAction.MODERATOR_REPLY)[0].target_ids == [answer.id]


def test_branch_trash_takes_the_whole_subtree_in_one_action(
    client: FlaskClient, moderator: User
) -> None:
    post = make_post()
    top = make_reply(post)
    child = make_reply(post, top)
    grandchild = make_reply(post, child, status=PENDING)
    sibling = make_reply(post)
    client.post(f"/mod/replies/{child.id}/branch", data={"action": "trash"})
    assert [_status(r.id) for r in (top, child, grandchild, sibling)] == [
        APPROVED,
        TRASH,
        TRASH,
        APPROVED,
    ]
    entry = _entries(AuditAction.TRASH_BRANCH)[0]
    assert sorted(entry.target_ids) == sorted([child.id, grandchild.id])


def test_locked_branch_refuses_new_replies_and_collapsed_branch_renders_folded(
    client: FlaskClient, moderator: User
) -> None:
    post = make_post()
    top = make_reply(post)
    child = make_reply(post, top)
    client.post(f"/mod/replies/{top.id}/branch", data={"action": "lock"})
    client.post(f"/mod/replies/{top.id}/branch", data={"action": "collapse"})
    guest = client.application.test_client()
    refused = guest.post(
        f"/t/{post.slug}/replies",
        data={"body": "Late", "name": "G", "email": "g@example.org", "parent_id": str(child.id)},
    )
    assert refused.status_code == 403 and "locked" in refused.get_data(as_text=True)
    page = guest.get(f"/t/{post.slug}").get_data(as_text=True)
    assert '<details class="branch">' in page  # folded: no "open"


def test_ban_account_with_its_replies_then_undo_from_the_audit_log(
    client: FlaskClient, moderator: User
) -> None:
    member = make_user(display_name="Troll")
    post = make_post()
    posted = [make_reply(post, author=member) for _ in range(2)]
    response = client.post(
        "/mod/bans",
        data={"target": "user", "value": str(member.id), "reason": "abuse", "remove_replies": "y"},
    )
    assert response.status_code == 303
    assert [_status(r.id) for r in posted] == [TRASH, TRASH]
    db.session.expire_all()
    assert db.session.get(User, member.id).is_banned  # type: ignore[union-attr]
    entry = _entries(AuditAction.BAN)[0]
    client.post(f"/mod/audit/{entry.id}/undo")
    assert [_status(r.id) for r in posted] == [APPROVED, APPROVED]
    db.session.expire_all()
    assert not db.session.get(User, member.id).is_banned  # type: ignore[union-attr]
    assert db.session.scalars(select(Ban)).one().lifted_at is not None
    again = client.post(f"/mod/audit/{entry.id}/undo")
    assert again.status_code == 400 and "already undone" in again.get_data(as_text=True)


def test_banning_a_moderator_or_a_bad_range_is_refused(
    client: FlaskClient, moderator: User
) -> None:
    other = make_user(role=Role.MODERATOR)
    assert (
        client.post("/mod/bans", data={"target": "user", "value": str(other.id)}).status_code == 403
    )
    bad = client.post("/mod/bans", data={"target": "ip", "value": "300.1.1.1/99"})
    assert bad.status_code == 400 and "203.0.113.0/24" in bad.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Ban.id))) == 0


def test_undo_an_approval_puts_the_reply_back(client: FlaskClient, moderator: User) -> None:
    reply = make_reply(make_post(), status=PENDING)
    client.post("/mod/act", data={"action": "approve", "ids": [str(reply.id)]})
    entry = _entries(AuditAction.APPROVE)[0]
    response = client.post(f"/mod/audit/{entry.id}/undo", headers={"Accept": "application/json"})
    assert response.status_code == 200 and _status(reply.id) is PENDING
    undo = _entries(AuditAction.UNDO)[0]
    assert undo.undoes_id == entry.id
    log = client.get("/mod/audit").get_data(as_text=True)
    assert "undone" in log and "approve" in log


def test_audit_log_filters_by_action_and_item(client: FlaskClient, moderator: User) -> None:
    post = make_post()
    a, b = make_reply(post, status=PENDING), make_reply(post, status=PENDING)
    client.post("/mod/act", data={"action": "approve", "ids": [str(a.id)]})
    client.post("/mod/act", data={"action": "spam", "ids": [str(b.id)]})
    by_action = client.get("/mod/audit?action=spam").get_data(as_text=True)
    assert f"#{b.id}" in by_action and f">#{a.id}<" not in by_action
    by_item = client.get(f"/mod/audit?target={a.id}").get_data(as_text=True)
    assert f">#{a.id}<" in by_item and f">#{b.id}<" not in by_item
    assert client.get("/mod/audit?action=nonsense").status_code == 400


def test_queue_costs_the_same_queries_for_5_and_60_items(
    client: FlaskClient, moderator: User, count_queries: Any
) -> None:
    post = make_post()
    for n in range(5):
        make_reply(post, status=PENDING, guest_email=f"g{n}@example.org")
    with count_queries() as few:
        client.get("/mod/queue/pending")
    for n in range(55):
        make_reply(
            post,
            status=PENDING,
            guest_email=f"h{n}@example.org",
            author=make_user() if n % 2 else None,
        )
    with count_queries() as many:
        html = client.get("/mod/queue/pending").get_data(as_text=True)
    assert html.count("data-queue-item") == 50
    assert len(many) == len(few) <= 12


def test_bulk_action_on_1000_replies_is_one_transaction_and_one_log_entry(
    client: FlaskClient, moderator: User
) -> None:
    post = make_post()
    ids = [make_reply(post, status=PENDING, commit=False).id for _ in range(1000)]
    db.session.commit()
    response = client.post(
        "/mod/act",
        data={"action": "trash", "ids": [str(i) for i in ids]},
        headers={"Accept": "application/json"},
    )
    assert len(response.get_json()["changed"]) == 1000
    assert db.session.scalar(select(func.count(Reply.id)).where(Reply.status == TRASH)) == 1000
    assert len(_entries(AuditAction.TRASH)) == 1


def test_reports_show_in_the_flagged_tab(client: FlaskClient, moderator: User) -> None:
    from forum.models import Flag
    from forum.models import FlagReason

    reply = make_reply(make_post(), body_source="Questionable advice")
    db.session.add(
        Flag(
            reply_id=reply.id,
            reporter_token="t1",
            reason=FlagReason.HARMFUL,
            note="dangerous dose",
            body_snapshot=reply.body_source,
        )
    )
    db.session.commit()
    html = client.get("/mod/queue/flagged").get_data(as_text=True)
    assert "Questionable advice" in html and "Harmful advice" in html and "dangerous dose" in html
    assert 'data-count="flagged">1<' in html
    client.post("/mod/act", data={"action": "approve", "ids": [str(reply.id)]})
    assert 'data-count="flagged">0<' in client.get("/mod/queue/flagged").get_data(as_text=True)


def test_approving_from_the_flagged_tab_resolves_the_reports(
    client: FlaskClient, moderator: User
) -> None:
    reply = make_reply(make_post(), status=PENDING, held_reason="flagged")
    client.post("/mod/act", data={"action": "approve", "ids": [str(reply.id)]})
    assert _status(reply.id) is APPROVED


def test_banned_guest_email_cannot_post(client: FlaskClient, moderator: User) -> None:
    post = make_post()
    client.post("/mod/bans", data={"target": "email", "value": "Bad@Example.org", "reason": "spam"})
    guest = client.application.test_client()
    response = guest.post(
        f"/t/{post.slug}/replies", data={"body": "hi", "name": "B", "email": "bad@example.org"}
    )
    assert response.status_code == 403 and "Reason: spam" in response.get_data(as_text=True)
    assert "hi</textarea>" in response.get_data(as_text=True)  # the text is kept in the form
    assert db.session.scalar(select(func.count(Reply.id))) == 0


def test_ban_with_expiry_ends_by_itself(client: FlaskClient, moderator: User) -> None:
    member = make_user()
    client.post("/mod/bans", data={"target": "user", "value": str(member.id), "days": "3"})
    db.session.expire_all()
    banned = db.session.get(User, member.id)
    assert banned is not None and banned.is_banned and banned.ban_expires_at is not None
    banned.ban_expires_at = datetime.now(UTC)
    db.session.commit()
    assert not banned.is_banned
