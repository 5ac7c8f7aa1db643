"""What moderators see of the spam filter: the rates on the rules page, and on the queue card
and item page the features that moved a reply's spam score."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import Role
from forum.models import User
from forum.security.actor import Actor
from forum.services import site_settings
from forum.services.moderation.draft import Draft
from forum.services.moderation.rules import decide
from forum.services.site_settings import ModerationSettings
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules
from tests.spam_site import site_with_decisions
from tests.web.test_moderation_flow import _rules_form

SPAM_TEXT = "Cheap xanax online, no prescription, overnight delivery! https://rx-7.example/buy"


@pytest.fixture
def admin(client: FlaskClient, login: Any) -> User:
    return login(make_user(display_name="Ada Admin", role=Role.ADMIN))


def test_rules_page_before_any_decision_says_nothing_goes_straight_to_spam_yet(
    client: FlaskClient, admin: User
) -> None:
    html = client.get("/mod/settings/rules").get_data(as_text=True)
    assert "Nothing goes straight to spam until moderators have decided 50 of each kind" in html
    assert "Largest share of honest replies the filter may send straight to spam (%)" in html


def test_rules_page_shows_the_rates_measured_on_the_sites_decisions(
    client: FlaskClient, admin: User
) -> None:
    site_with_decisions(60)
    html = client.get("/mod/settings/rules").get_data(as_text=True)
    assert "On 60 decisions, each scored by the filter without it" in html
    assert "of spam caught outright" in html and "of honest replies sent to spam" in html


def test_queue_card_and_item_page_name_what_moved_the_spam_score(
    client: FlaskClient, admin: User
) -> None:
    post, _ = site_with_decisions(60)
    set_rules(hold_first_time=False, flood_seconds=0, spam_min_decisions=20)
    draft = Draft(
        actor=Actor(ip_address="203.0.113.9"),
        post=post,
        parent=None,
        body_source=SPAM_TEXT,
        guest_name="Rx Deals",
        guest_email="deals77@gmail.com",
        guest_url=None,
    )
    decision = decide(draft, ModerationSettings(hold_first_time=False, spam_min_decisions=20))
    reply = make_reply(
        post,
        body_source=SPAM_TEXT,
        status=decision.status,
        held_reason=decision.reason,
        spam_score=decision.spam_score,
        decision_trace=decision.trace,
    )
    db.session.commit()
    reasons = decision.trace[-1]["detail"].split("most weight: ")[1].split("; ")
    card = client.get("/mod/queue/spam").get_data(as_text=True)
    item = client.get(f"/mod/replies/{reply.id}").get_data(as_text=True)
    for page in (card, item):
        assert "Sent to spam by its spam score" in page
        assert len(reasons) == 3 and all(reason in page for reason in reasons)


def test_rules_form_keeps_the_shares_and_refuses_a_hold_floor_above_the_spam_floor(
    client: FlaskClient, admin: User
) -> None:
    saved = client.post(
        "/mod/settings/rules", data=_rules_form(spam_honest_percent="0.2", submit="save")
    )
    assert saved.status_code == 303
    assert site_settings.moderation_settings().spam_honest_percent == 0.2
    refused = client.post(
        "/mod/settings/rules",
        data=_rules_form(spam_threshold="0.5", spam_hold_threshold="0.8", submit="save"),
    )
    assert refused.status_code == 400
    assert "Use a hold floor no higher than the spam floor." in refused.get_data(as_text=True)
    assert site_settings.moderation_settings().spam_hold_threshold == 0.0
