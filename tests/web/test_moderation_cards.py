"""Queue cards and item pages: Keep on reported replies, what happened in words, plain quotes."""

from __future__ import annotations

import re
from datetime import UTC
from datetime import datetime
from typing import Any

import pytest
from babel.dates import format_datetime
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import Flag
from forum.models import FlagReason
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

FIRST_TIME_TRACE = [
    {"rule": "blocklist", "detail": "no blocked word, email or address", "verdict": "pass"},
    {"rule": "first_time", "detail": "first reply from an unconfirmed email", "verdict": "hold"},
    {"rule": "spam_score", "detail": "spam score 0.05", "verdict": "pass"},
]


@pytest.fixture
def moderator(client: FlaskClient, login: Any) -> User:
    return login(make_user(display_name="Mod Mo", role=Role.MODERATOR))


def _report(reply: Reply, token: str) -> None:
    db.session.add(
        Flag(
            reply_id=reply.id,
            reporter_token=token,
            reason=FlagReason.ABUSE,
            body_snapshot=reply.body_source,
        )
    )
    db.session.commit()


def _open_reports(reply_id: int) -> int:
    db.session.expire_all()
    flags = db.session.scalars(select(Flag).where(Flag.reply_id == reply_id)).all()
    return sum(flag.resolved_at is None for flag in flags)


def _status(reply_id: int) -> ReplyStatus:
    db.session.expire_all()
    reply = db.session.get(Reply, reply_id)
    assert reply is not None
    return reply.status


def test_flagged_tab_keep_on_reported_approved_reply_dismisses_reports_and_logs(
    client: FlaskClient, moderator: User
) -> None:
    reply = make_reply(make_post(), body_source="A fair but blunt answer")
    _report(reply, "t1")
    _report(reply, "t2")
    html = client.get("/mod/queue/flagged").get_data(as_text=True)
    assert f'value="keep:{reply.id}"' in html and "Keep selected" in html
    response = client.post("/mod/act", data={"single": f"keep:{reply.id}", "next": "/mod"})
    assert response.status_code == 303
    assert _status(reply.id) is ReplyStatus.APPROVED and _open_reports(reply.id) == 0
    entry = db.session.scalars(select(AuditEntry)).one()
    assert entry.action is AuditAction.KEEP and entry.target_ids == [reply.id]
    page = client.get("/mod/queue/flagged").get_data(as_text=True)
    assert "Kept 1 reply. Their reports are dismissed." in page
    assert 'data-count="flagged">0<' in page


def test_keep_on_reply_hidden_by_reports_approves_it_and_undo_puts_all_back(
    client: FlaskClient, moderator: User
) -> None:
    reply = make_reply(make_post(), status=ReplyStatus.PENDING, held_reason="flagged")
    _report(reply, "t1")
    assert f'value="keep:{reply.id}"' in client.get(f"/mod/replies/{reply.id}").get_data(
        as_text=True
    )
    body = client.post(
        "/mod/act", data={"single": f"keep:{reply.id}"}, headers={"Accept": "application/json"}
    ).get_json()
    assert body["changed"] == [reply.id] and body["counts"]["flagged"] == 0
    assert _status(reply.id) is ReplyStatus.APPROVED and _open_reports(reply.id) == 0
    client.post(f"/mod/audit/{body['entry_id']}/undo")
    assert _status(reply.id) is ReplyStatus.PENDING and _open_reports(reply.id) == 1


def test_keep_on_a_reply_without_reports_changes_nothing(
    client: FlaskClient, moderator: User
) -> None:
    held = make_reply(make_post(), status=ReplyStatus.PENDING, held_reason="links")
    body = client.post(
        "/mod/act",
        data={"action": "keep", "ids": [str(held.id)]},
        headers={"Accept": "application/json"},
    ).get_json()
    assert body["changed"] == [] and body["skipped"] == 1
    assert _status(held.id) is ReplyStatus.PENDING


def test_item_page_of_approved_first_reply_says_what_happened_in_words(
    client: FlaskClient, moderator: User
) -> None:
    reply = make_reply(make_post(), status=ReplyStatus.PENDING, decision_trace=FIRST_TIME_TRACE)
    reply.held_reason = "first_time"
    db.session.commit()
    client.post("/mod/act", data={"single": f"approve:{reply.id}"})
    html = client.get(f"/mod/replies/{reply.id}").get_data(as_text=True)
    assert "Why it is approved" not in html
    db.session.expire_all()
    moderated_at = db.session.get(Reply, reply.id).moderated_at  # type: ignore[union-attr]
    when = format_datetime(moderated_at, "MMMM d, y, h:mm\u202fa 'UTC'", tzinfo=UTC, locale="en")
    assert f"Held as a first reply, then approved by Mod Mo on {when}." in html


@pytest.mark.parametrize(
    ("trace", "fields", "sentence"),
    [
        ([], {}, "Posted with no record of the rules’ decision."),
        (FIRST_TIME_TRACE[:1], {}, "Approved on posting: it passed every rule."),
        (
            [{"rule": "links", "detail": "3 links ≥ 2", "verdict": "hold"}],
            {"status": ReplyStatus.PENDING, "held_reason": "links"},
            "Held for its links (3 links ≥ 2).",
        ),
        (
            FIRST_TIME_TRACE[:1],
            {
                "status": ReplyStatus.PENDING,
                "held_reason": "flagged",
                "moderated_at": datetime(2026, 2, 3, 4, 5, tzinfo=UTC),
            },
            "Approved on posting: it passed every rule, then hidden by readers’ reports "
            "on February 3, 2026, 4:05\u202fAM UTC.",
        ),
    ],
)
def test_queue_card_trace_heading_is_a_sentence(
    client: FlaskClient,
    moderator: User,
    trace: list[dict[str, str]],
    fields: dict[str, Any],
    sentence: str,
) -> None:
    reply = make_reply(make_post(), decision_trace=trace, **fields)
    _report(reply, "t1")
    html = client.get("/mod/queue/flagged").get_data(as_text=True)
    assert f'id="q{reply.id}"' in html
    assert sentence in html


def test_queue_card_quotes_the_parent_without_markup(client: FlaskClient, moderator: User) -> None:
    post = make_post()
    parent = make_reply(post, body_source="I felt *weirdly* calm, see **this**")
    make_reply(post, parent, status=ReplyStatus.PENDING)
    html = client.get("/mod/queue/pending").get_data(as_text=True)
    assert "“I felt weirdly calm, see this”" in html
    assert "*weirdly*" not in html


def test_item_page_quotes_the_reported_text_without_markup(
    client: FlaskClient, moderator: User
) -> None:
    reply = make_reply(make_post(), body_source="Stop it *all* at once")
    _report(reply, "t1")
    html = client.get(f"/mod/replies/{reply.id}").get_data(as_text=True)
    assert "text when reported: “Stop it all at once”" in html


def test_item_page_labels_each_point_at_their_own_field(
    client: FlaskClient, moderator: User
) -> None:
    """The edit, reply, branch and ban forms share a page: "Reply as moderator" must not focus
    the edit box, nor the ban's reason the branch's."""
    reply = make_reply(make_post(), status=ReplyStatus.PENDING, held_reason="first_time")
    page = client.get(f"/mod/replies/{reply.id}").get_data(as_text=True)
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert [i for i in set(ids) if ids.count(i) > 1] == []
    targets = re.findall(r'<label for="([^"]+)"', page)
    assert targets and all(target in ids for target in targets)
