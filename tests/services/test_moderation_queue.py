"""The queue's counts, groups and author records: exact, from the cheap statements."""

from __future__ import annotations

import pytest

from forum.extensions import db
from forum.models import Flag
from forum.models import FlagReason
from forum.models import Reply
from forum.models import ReplyStatus
from forum.services.moderation.queue import QueueFilters
from forum.services.moderation.queue import Tab
from forum.services.moderation.queue import counts
from forum.services.moderation.queue import load_queue
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

pytestmark = pytest.mark.usefixtures("app")

PENDING, APPROVED, SPAM, TRASH = (
    ReplyStatus.PENDING,
    ReplyStatus.APPROVED,
    ReplyStatus.SPAM,
    ReplyStatus.TRASH,
)


def _flag(reply: Reply, reporter: str = "t", resolved: bool = False) -> None:
    flag = Flag(
        reply_id=reply.id, reporter_token=reporter, reason=FlagReason.SPAM, body_snapshot="x"
    )
    if resolved:
        flag.resolved_at = reply.created_at
    db.session.add(flag)
    db.session.commit()


def _pending_page() -> list[tuple[str, int]]:
    page = load_queue(
        tab=Tab.PENDING, filters=QueueFilters(), newest_first=True, page=1, per_page=50
    )
    return page.groups


def test_counts_every_tab_and_each_reported_reply_once() -> None:
    post = make_post()
    for status, many in ((PENDING, 3), (APPROVED, 2), (SPAM, 4), (TRASH, 1)):
        for _ in range(many):
            make_reply(post, status=status, held_reason="links" if status is PENDING else None)
    reported = make_reply(post)
    _flag(reported, "one")
    _flag(reported, "two")  # two open reports, one reply
    _flag(make_reply(post), resolved=True)  # dismissed: not in the Flagged tab
    assert counts() == {
        Tab.PENDING: 3,
        Tab.FLAGGED: 1,
        Tab.SPAM: 4,
        Tab.APPROVED: 4,
        Tab.TRASH: 1,
    }


def test_empty_site_counts_zero_and_has_no_groups() -> None:
    assert counts() == dict.fromkeys(Tab, 0)
    assert _pending_page() == []


def test_groups_are_pending_replies_by_reason_largest_first_and_sum_to_the_pending_count() -> None:
    post = make_post()
    for reason, many in (("links", 2), ("keyword", 3), (None, 1), ("first_time", 2)):
        for _ in range(many):
            make_reply(post, status=PENDING, held_reason=reason)
    make_reply(post, status=SPAM, held_reason="links")  # not pending: in no group
    groups = _pending_page()
    assert groups == [("keyword", 3), ("first_time", 2), ("links", 2), ("unknown", 1)]
    assert sum(n for _, n in groups) == counts()[Tab.PENDING] == 8


def test_guest_record_ignores_email_case_and_a_members_reply_with_that_email() -> None:
    post = make_post()
    member = make_user()
    make_reply(post, guest_email="Ann@Example.org")
    make_reply(post, status=SPAM, guest_email="ann@example.org")
    make_reply(post, author=member, guest_email="ann@example.org")  # a member's, not Ann's
    make_reply(post, guest_email="bee@example.org")
    held = make_reply(post, status=PENDING, guest_email="ANN@example.org")
    mine = make_reply(post, status=PENDING, author=member)
    page = load_queue(
        tab=Tab.PENDING, filters=QueueFilters(), newest_first=True, page=1, per_page=50
    )
    records = {item.reply.id: item.history for item in page.items}
    ann, own = records[held.id], records[mine.id]
    assert (ann.approved, ann.pending, ann.spam, ann.trash) == (1, 1, 1, 0)
    assert (own.approved, own.pending, own.spam, own.trash) == (1, 1, 0, 0)
