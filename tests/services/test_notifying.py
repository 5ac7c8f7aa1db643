"""In-app notifications, written by the services whose changes cause them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum.extensions import db
from forum.models import Notification
from forum.models import NotificationKind
from forum.models import Post
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.security.actor import Actor
from forum.services.authoring import edit_own_reply
from forum.services.liking import set_like
from forum.services.moderation.actions import moderate
from forum.services.notifying.mentions import mentioned_handles
from forum.services.replying import GuestDetails
from forum.services.replying import post_reply
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

pytestmark = pytest.mark.usefixtures("open_rules")


def _notes(user: User) -> list[tuple[str, int, int]]:
    rows = db.session.scalars(
        select(Notification).where(Notification.recipient_id == user.id).order_by(Notification.id)
    )
    return [(n.kind.value, n.reply_id, n.count) for n in rows]


def _reply(user: User, post: Post, body: str, parent_id: int | None = None) -> int:
    reply = post_reply(
        actor=Actor(user=user), post=post, parent_id=parent_id, body=body, guest=None
    )
    return reply.id


def test_reply_to_member_notifies_parent_author_once(app: object) -> None:
    ada, bob = make_user(display_name="Ada"), make_user(display_name="Bob")
    post = make_post()
    parent = make_reply(post, author=ada)
    answer = _reply(bob, post, "I agree.", parent.id)
    assert _notes(ada) == [("reply", answer, 1)]
    assert _notes(bob) == []


def test_edit_of_reply_does_not_notify_again(app: object) -> None:
    ada, bob = make_user(display_name="Ada"), make_user(display_name="Bob")
    post = make_post()
    parent = make_reply(post, author=ada)
    answer = _reply(bob, post, "Hello @Ada", parent.id)
    edit_own_reply(actor=Actor(user=bob), reply_id=answer, body="Hello again @Ada, edited")
    assert _notes(ada) == [("reply", answer, 1)]  # answered and mentioned: told once


def test_mention_notifies_once_even_after_edits(app: object) -> None:
    ada, bob = make_user(display_name="Ada Lovelace"), make_user(display_name="Bob")
    post = make_post()
    make_reply(post, author=ada)
    mention = _reply(bob, post, "What does @AdaLovelace think?")
    edit_own_reply(actor=Actor(user=bob), reply_id=mention, body='And @"Ada Lovelace" now?')
    assert _notes(ada) == [("mention", mention, 1)]


def test_edit_adding_a_mention_notifies_only_the_new_name(app: object) -> None:
    ada, bob, cy = (make_user(display_name=n) for n in ("Ada", "Bob", "Cy"))
    post = make_post()
    make_reply(post, author=ada)
    make_reply(post, author=cy)
    reply_id = _reply(bob, post, "cc @Ada")
    edit_own_reply(actor=Actor(user=bob), reply_id=reply_id, body="cc @Ada and @cy.")
    assert _notes(ada) == [("mention", reply_id, 1)]
    assert _notes(cy) == [("mention", reply_id, 1)]


def test_reply_to_own_reply_or_self_mention_does_not_notify(app: object) -> None:
    ada = make_user(display_name="Ada")
    post = make_post(author_id=ada.id)
    first = _reply(ada, post, "First")
    _reply(ada, post, "Me again, @Ada", first)
    assert _notes(ada) == []


def test_mention_of_ambiguous_name_outside_thread_notifies_nobody(app: object) -> None:
    sam1, sam2, bob = make_user(display_name="Sam"), make_user(display_name="Sam"), make_user()
    sole = make_user(display_name="Zoë Quinn")
    post = make_post()
    _reply(bob, post, "Ask @Sam or @ZoëQuinn, not me@example.org")
    assert _notes(sam1) == _notes(sam2) == []
    assert [kind for kind, _, _ in _notes(sole)] == ["mention"]


def test_mention_of_thread_participant_wins_over_namesakes(app: object) -> None:
    sam_here, sam_elsewhere, bob = (
        make_user(display_name="Sam"),
        make_user(display_name="Sam"),
        make_user(),
    )
    post = make_post()
    make_reply(post, author=sam_here)
    _reply(bob, post, "@sam what do you think?")
    assert [kind for kind, _, _ in _notes(sam_here)] == ["mention"]
    assert _notes(sam_elsewhere) == []


def test_mentioned_handles_skip_code_and_emails_and_trim_punctuation() -> None:
    source = 'Hi @Ada, and @"Bob Smith". `@code` mail me@example.org\n```\n@block\n```\n@Cy.'
    assert mentioned_handles(source) == ["ada", "bobsmith", "cy"]


def test_held_reply_notifies_only_when_approved(app: object) -> None:
    set_rules(hold_first_time=True, flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01)
    ada, newcomer = make_user(display_name="Ada"), make_user(display_name="Newcomer")
    moderator = make_user(role=Role.MODERATOR)
    post = make_post()
    parent = make_reply(post, author=ada)
    held = post_reply(
        actor=Actor(user=newcomer), post=post, parent_id=parent.id, body="Hi @Ada", guest=None
    )
    assert held.status is ReplyStatus.PENDING
    assert _notes(ada) == []
    moderate(moderator=moderator, reply_ids=[held.id], action="approve")
    assert _notes(ada) == [("reply", held.id, 1)]
    assert _notes(newcomer) == [("approved", held.id, 1)]
    moderate(moderator=moderator, reply_ids=[held.id], action="trash")
    moderate(moderator=moderator, reply_ids=[held.id], action="approve")
    assert len(_notes(ada)) == len(_notes(newcomer)) == 1  # approved again: not told twice


def test_likes_are_grouped_in_one_notification_with_a_count(app: object) -> None:
    ada = make_user(display_name="Ada")
    likers = [make_user() for _ in range(3)]
    reply = make_reply(make_post(), author=ada)
    for liker in likers:
        set_like(actor=Actor(user=liker), reply_id=reply.id, liked=True)
    set_like(actor=Actor(guest_token="browser-9"), reply_id=reply.id, liked=True)
    set_like(actor=Actor(user=likers[0]), reply_id=reply.id, liked=True)  # again: nothing new
    note = db.session.scalars(select(Notification)).one()
    assert (note.recipient_id, note.kind, note.count) == (ada.id, NotificationKind.LIKE, 4)
    assert note.actor_id is None  # the latest liker was a guest


def test_new_like_makes_a_read_like_notification_unread_again(app: object) -> None:
    ada = make_user(display_name="Ada")
    reply = make_reply(make_post(), author=ada)
    set_like(actor=Actor(user=make_user()), reply_id=reply.id, liked=True)
    note = db.session.scalars(select(Notification)).one()
    note.read_at = note.updated_at
    db.session.commit()
    later = make_user(display_name="Later")
    set_like(actor=Actor(user=later), reply_id=reply.id, liked=True)
    db.session.refresh(note)
    assert (note.read_at, note.count, note.actor_id) == (None, 2, later.id)


def test_guest_reply_to_member_names_the_guest(app: object) -> None:
    ada = make_user(display_name="Ada")
    post = make_post()
    parent = make_reply(post, author=ada)
    guest = GuestDetails(name="Visitor", email="v@example.org", url=None)
    post_reply(
        actor=Actor(guest_token="b1"), post=post, parent_id=parent.id, body="Hi", guest=guest
    )
    note = db.session.scalars(select(Notification)).one()
    assert (note.actor_id, note.actor_name) == (None, "Visitor")


def test_moderator_approving_own_reply_gets_no_outcome_notification(app: object) -> None:
    moderator = make_user(role=Role.MODERATOR)
    held = make_reply(make_post(), author=moderator, status=ReplyStatus.PENDING)
    moderate(moderator=moderator, reply_ids=[held.id], action="approve")
    assert _notes(moderator) == []
