"""Each moderation rule, through decide(), with the decision trace it leaves."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any

import pytest

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.extensions import db
from forum.models import Ban
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import VerifiedEmail
from forum.security.actor import Actor
from forum.services.moderation.draft import Draft
from forum.services.moderation.rules import TooFast
from forum.services.moderation.rules import decide
from forum.services.site_settings import ModerationSettings
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

PERSONAL = "Thank you for writing this. My second week was like that too; the journal helped."
KNOWN = "known@example.org"
# Isolate one rule at a time: no first-time hold, and a spam score that never decides.
OFF = ModerationSettings(hold_first_time=False, spam_threshold=1.01, spam_hold_threshold=1.01)


def _draft(body: str = PERSONAL, **fields: Any) -> Draft:
    post = fields.pop("post", None) or make_post()
    defaults: dict[str, Any] = {
        "actor": Actor(guest_token="browser", ip_address="198.51.100.7"),
        "parent": None,
        "guest_name": "Ada",
        "guest_email": "ada@example.org",
        "guest_url": None,
    }
    return Draft(post=post, body_source=body, **{**defaults, **fields})


def _trace(decision: Any) -> list[tuple[str, str]]:
    return [(step["rule"], step["verdict"]) for step in decision.trace]


def test_first_reply_from_an_unconfirmed_email_is_held_with_its_reason(app: object) -> None:
    decision = decide(_draft(), ModerationSettings())
    assert decision.status is ReplyStatus.PENDING and decision.reason == "first_time"
    assert ("first_time", "hold") in _trace(decision)
    assert [rule for rule, _ in _trace(decision)] == [
        "blocklist",
        "links",
        "keyword",
        "first_time",
        "spam_score",
    ]


def test_a_typed_email_with_approved_replies_still_counts_as_first_time(app: object) -> None:
    make_reply(make_post(), guest_email=KNOWN)
    decision = decide(_draft(guest_email=KNOWN), ModerationSettings())
    assert decision.status is ReplyStatus.PENDING
    assert any("unconfirmed email" in step["detail"] for step in decision.trace)


def test_a_confirmed_email_with_an_approved_reply_passes_from_the_same_browser(app: object) -> None:
    make_reply(make_post(), guest_email=KNOWN, guest_token="browser")
    db.session.add(VerifiedEmail(email=KNOWN))
    db.session.commit()
    decision = decide(_draft(guest_email=KNOWN), ModerationSettings())
    assert decision.status is ReplyStatus.APPROVED, decision.trace


def test_a_stranger_typing_a_confirmed_email_is_still_held(app: object) -> None:
    make_reply(make_post(), guest_email=KNOWN, guest_token="the-regulars-browser")
    db.session.add(VerifiedEmail(email=KNOWN))
    db.session.commit()
    decision = decide(_draft(guest_email=KNOWN), ModerationSettings())
    assert decision.status is ReplyStatus.PENDING and decision.reason == "first_time"


def test_duplicates_are_per_author_not_per_shared_address(app: object) -> None:
    post = make_post()
    make_reply(
        post,
        guest_token="someone-else",
        ip_address="198.51.100.7",
        body_source="Thank you!",
        created_at=datetime.now(UTC) - timedelta(minutes=5),
    )
    decision = decide(_draft("Thank you!", post=post), OFF)
    assert decision.status is ReplyStatus.APPROVED


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        (".ru", "cheap pills at http://cheap-pills.ru now"),
        ("@spam.example", "mail bob@spam.example"),
        ("$$$", "earn$$$ fast"),
    ],
)
def test_keywords_with_punctuation_at_their_edges_still_match(
    app: object, keyword: str, text: str
) -> None:
    decision = decide(_draft(text), replace(OFF, hold_keywords=[keyword]))
    assert decision.reason == "keyword"


def test_an_account_with_an_approved_reply_passes(app: object) -> None:
    member = make_user()
    make_reply(make_post(), author=member)
    decision = decide(_draft(actor=Actor(user=member)), ModerationSettings())
    assert decision.status is ReplyStatus.APPROVED


def test_links_at_the_limit_are_held(app: object) -> None:
    body = "See https://example.org/a and https://example.org/b and www.example.net"
    decision = decide(_draft(body), replace(OFF, link_limit=2))
    assert decision.status is ReplyStatus.PENDING and decision.reason == "links"
    assert any(step["detail"] == "3 links ≥ 2" for step in decision.trace)
    assert (
        decide(_draft("one https://example.org link"), replace(OFF, link_limit=2)).status
        is ReplyStatus.APPROVED
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"body": "The Pill made me dizzy."}, "text"),
        ({"guest_name": "pill fan"}, "name"),
        ({"guest_email": "pill@example.org"}, "email"),
        ({"guest_url": "https://pill.example.org"}, "website"),
    ],
)
def test_moderation_keywords_match_whole_words_in_every_field(
    app: object, fields: dict[str, str], expected: str
) -> None:
    body = fields.pop("body", PERSONAL)
    decision = decide(_draft(body, **fields), replace(OFF, hold_keywords=["pill"]))
    assert decision.status is ReplyStatus.PENDING and decision.reason == "keyword"
    assert any(step["detail"] == f"“pill” in {expected}" for step in decision.trace)


def test_keywords_do_not_match_inside_other_words(app: object) -> None:
    decision = decide(_draft("I spilled my tea."), replace(OFF, hold_keywords=["pill"]))
    assert decision.status is ReplyStatus.APPROVED


def test_keyword_matches_the_ip_field(app: object) -> None:
    decision = decide(_draft(), replace(OFF, hold_keywords=["198.51.100.7"]))
    assert decision.reason == "keyword"


@pytest.mark.parametrize(
    ("rules", "detail"),
    [
        (replace(OFF, spam_keywords=["casino"]), "blocked word “casino” in text"),
        (replace(OFF, spam_emails=["ADA@example.org"]), "blocked email ada@example.org"),
        (replace(OFF, spam_ips=["198.51.100.0/24"]), "blocked address 198.51.100.7"),
    ],
)
def test_blocklists_send_straight_to_spam(
    app: object, rules: ModerationSettings, detail: str
) -> None:
    decision = decide(_draft("Best casino bonus today" if rules.spam_keywords else PERSONAL), rules)
    assert decision.status is ReplyStatus.SPAM and decision.reason == "blocklist"
    assert decision.trace[0]["detail"] == detail


def test_hold_all_holds_even_known_members(app: object) -> None:
    member = make_user()
    make_reply(make_post(), author=member)
    decision = decide(_draft(actor=Actor(user=member)), replace(OFF, hold_all=True))
    assert decision.status is ReplyStatus.PENDING and decision.reason == "hold_all"


def test_spam_worse_than_hold_wins_and_names_its_rule(app: object) -> None:
    rules = replace(OFF, hold_all=True, spam_keywords=["casino"])
    decision = decide(_draft("casino casino"), rules)
    assert decision.status is ReplyStatus.SPAM and decision.reason == "blocklist"


def test_obvious_spam_on_a_new_site_scores_high_but_is_only_held(app: object) -> None:
    body = (
        "Cheap viagra pills online, no prescription! Buy now http://pills.example.biz casino bonus"
    )
    rules = ModerationSettings(hold_first_time=False)
    decision = decide(
        _draft(body, guest_name="cheap pills", guest_url="http://pills.example.biz"), rules
    )
    assert decision.spam_score is not None and decision.spam_score >= 0.9
    # No moderator has decided anything yet: nothing goes straight to spam, it waits instead.
    assert decision.status is ReplyStatus.PENDING and decision.reason == "spam_score"
    assert "too few decisions" in decision.trace[-1]["detail"]


def test_moderators_skip_the_rules(app: object) -> None:
    moderator = make_user(role=Role.MODERATOR)
    rules = ModerationSettings(hold_all=True, spam_keywords=["casino"])
    decision = decide(_draft("casino", actor=Actor(user=moderator)), rules)
    assert decision.status is ReplyStatus.APPROVED
    shown = [{key: step[key] for key in ("rule", "detail", "verdict")} for step in decision.trace]
    assert shown == [{"rule": "staff", "detail": "moderator → rules skipped", "verdict": "pass"}]


def test_replies_close_on_old_posts(app: object) -> None:
    old = make_post(published_at=datetime.now(UTC) - timedelta(days=40))
    with pytest.raises(Forbidden, match="closed after 30 days"):
        decide(_draft(post=old), replace(OFF, close_after_days=30))
    assert decide(
        _draft(post=make_post(published_at=datetime.now(UTC))), replace(OFF, close_after_days=30)
    )


def test_flood_and_duplicates_are_refused(app: object) -> None:
    post = make_post()
    make_reply(post, guest_token="browser", body_source=PERSONAL, created_at=datetime.now(UTC))
    with pytest.raises(TooFast, match="wait 15 seconds"):
        decide(_draft("something new", post=post), OFF)
    with pytest.raises(InvalidInput, match="already posted"):
        decide(_draft(post=post), replace(OFF, flood_seconds=0))


def test_a_repeat_within_the_flood_window_is_refused_as_too_fast_first(app: object) -> None:
    post = make_post()
    make_reply(post, guest_token="browser", body_source=PERSONAL, created_at=datetime.now(UTC))
    with pytest.raises(TooFast):  # both checks run in one query; flood is said first, as before
        decide(_draft(post=post), OFF)
    assert decide(_draft("something new", post=post), replace(OFF, flood_seconds=0))


def test_locked_branch_refuses_replies_under_it(app: object) -> None:
    post = make_post()
    parent = make_reply(post, locked_at=datetime.now(UTC))
    with pytest.raises(Forbidden, match="locked"):
        decide(_draft(post=post, parent=parent), OFF)


@pytest.mark.parametrize("ban", [{"email": "ada@example.org"}, {"ip_range": "198.51.100.0/28"}])
def test_banned_email_or_address_is_refused_with_the_reason(
    app: object, ban: dict[str, str]
) -> None:
    db.session.add(Ban(reason="spamming", **ban))
    db.session.commit()
    with pytest.raises(Forbidden, match="banned.*spamming"):
        decide(_draft(), OFF)


def test_expired_ban_no_longer_applies(app: object) -> None:
    db.session.add(Ban(email="ada@example.org", expires_at=datetime.now(UTC) - timedelta(days=1)))
    db.session.commit()
    assert decide(_draft(), OFF).status is ReplyStatus.APPROVED
