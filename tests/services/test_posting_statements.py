"""Posting's reused statements give what the ORM queries and flushes they replace gave.

The reply's row is written by Core (reply_insert.py), the refusals' and rules' lookups are one
statement (lookups.py), and a new top-level reply's number comes from a statement built once
(numbering.root_number_and_count): each is compared here with the general path it stands for.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from psycopg.sql import Literal
from sqlalchemy import event
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import insert
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy import text

from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import SpamToken
from forum.models import VerifiedEmail
from forum.models.base import utcnow
from forum.models.reply import body_digest
from forum.security.actor import Actor
from forum.services.moderation import spam
from forum.services.moderation.draft import Draft
from forum.services.moderation.lookups import REPEAT_WINDOW
from forum.services.moderation.lookups import look_up
from forum.services.moderation.rules import _previously_approved
from forum.services.moderation.spam_features import CONTEXT_TOKENS
from forum.services.moderation.spam_scoring import _repeats
from forum.services.numbering import numbers_with
from forum.services.numbering import root_number_and_count
from forum.services.replying import GuestDetails
from forum.services.replying import post_reply
from forum.services.site_settings import moderation_settings
from forum.services.statements import run_planned_once
from forum.services.threads import approved_count
from tests.conftest import EXTERNAL_DATABASE_URL
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

COLUMNS = [column.key for column in Reply.__table__.columns]


def _columns(reply: Reply) -> dict[str, Any]:
    return {key: getattr(reply, key) for key in COLUMNS}


def _stored(reply_id: int) -> dict[str, Any]:
    """The row as a new session reads it from the database."""
    db.session.expunge_all()
    stored = db.session.get(Reply, reply_id)
    assert stored is not None
    return _columns(stored)


def _orm_written(given: dict[str, Any], parent: Reply | None) -> dict[str, Any]:
    """The same reply written as before: ORM add, flush, place by id, flush."""
    reply = Reply(**given)
    db.session.add(reply)
    db.session.flush()
    reply.place(parent)
    db.session.commit()
    return _stored(reply.id)


def _ids_past_ten_digits() -> None:
    """The next reply id fills the path segment's 10 digits (PostgreSQL's integer ids end
    there), or on SQLite has 11: its segment is then longer, not cut."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('reply', 'id'), 2147483000)"))
    else:
        make_reply(make_post(), id=12345678900)
    db.session.commit()


@pytest.mark.parametrize("kind", ["guest", "member", "nested", "held", "long_id"])
def test_posted_reply_is_the_row_the_orm_wrote_and_the_object_the_answer_shows(
    app: object, kind: str
) -> None:
    set_rules(
        hold_first_time=kind == "held",
        flood_seconds=0,
        spam_threshold=1.01,
        spam_hold_threshold=1.01,
    )
    post = make_post()
    parent = make_reply(post) if kind in {"nested", "long_id"} else None
    if kind == "long_id":
        _ids_past_ten_digits()
    parent_id = parent.id if parent else None
    member = make_user() if kind == "member" else None
    actor = Actor(user=member, guest_token=None if member else "tok", ip_address="192.0.2.9")
    guest = None if member else GuestDetails(name="Ada", email="Ada@Example.org", url=None)
    reply = post_reply(
        actor=actor,
        post=post,
        parent_id=parent_id,
        body="Hello *there* http://example.org",
        guest=guest,
        notify_author=True,
    )
    shown = _columns(reply)  # what the JSON answer and the hooks read, never reloaded
    stored = _stored(reply.id)
    assert shown == stored
    assert stored["status"] is (ReplyStatus.PENDING if kind == "held" else ReplyStatus.APPROVED)
    parent = db.session.get(Reply, parent_id) if parent_id else None
    above = (parent.path, parent.root_id) if parent else None
    given = {k: v for k, v in stored.items() if k not in {"id", "path", "root_id", "parent_id"}}
    before = _orm_written({**given, "parent_id": parent.id if parent else None}, parent)
    same = {"id", "path", "root_id"}
    assert {k: v for k, v in before.items() if k not in same} == {
        k: v for k, v in stored.items() if k not in same
    }
    own = f"{stored['id']:010d}"
    assert stored["path"] == (f"{above[0]}/{own}" if above else own)
    assert stored["root_id"] == (above[1] if above else stored["id"])


def test_posting_writes_its_mail_event_search_row_and_one_version_bump(app: object) -> None:
    from forum.models import MailEvent
    from forum.models import Post
    from forum.services.search.engine import search

    set_rules(hold_first_time=False, flood_seconds=0, spam_threshold=1.01)
    post = make_post()
    version = post.version
    reply = post_reply(
        actor=Actor(guest_token="tok"),
        post=post,
        parent_id=None,
        body="A findable zebracorn",
        guest=GuestDetails(name="Ada", email="ada@example.org", url=None),
    )
    db.session.expunge_all()
    events = db.session.scalars(select(MailEvent).where(MailEvent.reply_id == reply.id)).all()
    assert [(e.kind, e.post_id, e.processed_at) for e in events] == [("reply_posted", None, None)]
    assert events[0].created_at is not None
    assert db.session.get(Post, post.id).version == version + 1
    assert reply.id in [hit.reply_id for hit in search("zebracorn").hits]


def _reference_flood_duplicate(draft: Draft, flood_seconds: int) -> tuple[bool, bool]:
    """The flood and duplicate checks as the rules asked them before (one OR each)."""
    actor = draft.actor
    if actor.user is not None:
        by_author = [Reply.author_id == actor.user.id]
        by_address = by_author
    else:
        by_author = [Reply.guest_token == actor.guest_token] if actor.guest_token else []
        if draft.email:
            by_author.append(func.lower(Reply.guest_email) == draft.email)
        by_address = by_author + (
            [Reply.ip_address == actor.ip_address] if actor.ip_address else []
        )
    since = utcnow() - timedelta(seconds=flood_seconds)
    flood = bool(flood_seconds and by_address) and bool(
        db.session.scalar(select(exists().where(or_(*by_address), Reply.created_at > since)))
    )
    duplicate = bool(by_author) and bool(
        db.session.scalar(
            select(
                exists().where(
                    or_(*by_author),
                    Reply.post_id == draft.post.id,
                    Reply.body_source == draft.body_source,
                    Reply.status != ReplyStatus.TRASH,
                )
            )
        )
    )
    return flood, duplicate


def test_lookups_equal_the_separate_queries_for_every_kind_of_author(app: object) -> None:
    set_rules(hold_first_time=True, flood_seconds=60)
    post = make_post()
    member = make_user()
    db.session.add(VerifiedEmail(email="known@example.org"))
    recent = utcnow() - timedelta(seconds=5)
    make_reply(post, guest_token="tok", guest_email="Known@Example.org", body_source="Same")
    make_reply(post, author=member, body_source="Mine", created_at=recent)
    make_reply(post, guest_token=None, guest_email="known@example.org", body_source="Imported")
    make_reply(post, ip_address="192.0.2.7", body_source="Same", created_at=recent)
    make_reply(post, guest_token="tok", body_source="Gone", status=ReplyStatus.TRASH)
    authors = [
        (Actor(user=member), None),
        (Actor(guest_token="tok", ip_address="192.0.2.7"), "known@example.org"),
        (Actor(guest_token="other"), "known@example.org"),
        (Actor(guest_token="tok"), "new@example.org"),
        (Actor(guest_token=None, ip_address="192.0.2.8"), None),
        (Actor(guest_token="tok"), None),
    ]
    settings = moderation_settings()
    for actor, email in authors:
        for body in ("Same", "Mine", "Gone", "Fresh"):
            draft = Draft(
                actor, post, None, body, "Ada" if actor.user is None else None, email, None
            )
            found = look_up(draft, settings, utcnow())
            assert (found.flood, found.duplicate) == _reference_flood_duplicate(draft, 60)
            assert found.first_time == _previously_approved(draft)
            assert found.repeats == _repeats(draft)
            totals, calibration = spam.state_from(*found.spam_totals, found.spam_calibration)
            assert (totals, calibration) == spam.load_state()
            assert found.spam_features == frozenset(spam.draft_features(draft))
            asked = {*spam.draft_features(draft), *CONTEXT_TOKENS}
            assert found.spam_tokens == spam.token_counts(asked)


def test_repeats_by_digest_count_exactly_the_same_text_of_the_last_day(app: object) -> None:
    set_rules(hold_first_time=True, flood_seconds=60)
    post = make_post()
    text, other = "Buy cheap pills", "Something else"
    today = utcnow() - timedelta(hours=1)
    make_reply(post, body_source=text, created_at=today)
    make_reply(post, body_source=text, status=ReplyStatus.TRASH, created_at=today)
    make_reply(post, body_source=text, created_at=utcnow() - timedelta(days=2))  # too old
    make_reply(post, body_source="buy cheap pills", created_at=today)  # not the same text
    edited = make_reply(post, body_source=other, created_at=today)
    edited.body_source = text  # an edit takes the new text's digest
    unedited = make_reply(post, body_source=text, created_at=today)
    unedited.body_source = other
    clash = make_reply(post, body_source="A third text", created_at=today)
    clash.body_hash = body_digest(text)  # as if the digests collided: the text still decides
    db.session.commit()
    # The importer's Core INSERT gives no digest: the column's default computes it.
    row = {
        "post_id": post.id,
        "path": "x",
        "body_source": text,
        "body_html": "",
        "created_at": today,
    }
    db.session.execute(insert(Reply.__table__), [row, {**row, "body_source": other}])
    db.session.commit()
    hashes = db.session.execute(select(Reply.body_source, Reply.body_hash)).all()
    assert all(digest == body_digest(source) for source, digest in hashes if source[0] != "A")
    settings = moderation_settings()
    for body in (text, other, "never posted"):
        draft = Draft(Actor(guest_token="new"), post, None, body, "Ada", None, None)
        since = utcnow() - REPEAT_WINDOW
        plain = db.session.scalar(
            select(func.count()).where(Reply.body_source == body, Reply.created_at > since)
        )
        assert look_up(draft, settings, utcnow()).repeats == plain
        assert _repeats(draft) == plain
    assert plain == 0 and _repeats(Draft(Actor(), post, None, text, None, None, None)) == 4


def test_new_root_number_and_count_equal_the_general_query(app: object) -> None:
    post = make_post()
    member = make_user()
    shown = make_reply(post)
    hidden = make_reply(post, status=ReplyStatus.PENDING, guest_token="other")
    holder = make_reply(post, status=ReplyStatus.SPAM, guest_token="other")
    make_reply(post, parent=holder)  # a visible answer keeps its held parent's place
    own = make_reply(post, status=ReplyStatus.PENDING, guest_token="tok")
    mine = make_reply(post, author=member, status=ReplyStatus.PENDING)
    deleted = make_reply(post, deleted_at=utcnow())
    answered_deleted = make_reply(post, deleted_at=utcnow())
    make_reply(post, parent=answered_deleted)
    own_answered = make_reply(post, status=ReplyStatus.PENDING, guest_token="tok")
    make_reply(post, parent=own_answered)  # the viewer's and answered: counted once
    trashed = make_reply(post, status=ReplyStatus.TRASH, guest_token="tok")
    make_reply(post, parent=trashed, status=ReplyStatus.PENDING, guest_token="tok")
    tied = make_reply(post, created_at=trashed.created_at)  # same time: the id decides
    last = make_reply(post)
    viewers = [
        Actor(),
        Actor(guest_token="tok"),
        Actor(user=member),
        Actor(user=member, guest_token="tok"),
        Actor(guest_token=""),
    ]
    replies = (shown, hidden, holder, own, mine, deleted, answered_deleted, own_answered)
    for actor in viewers:
        for reply in (*replies, trashed, tied, last):
            general, (count,) = numbers_with([reply], actor, 3, approved_count(post.id))
            assert root_number_and_count(reply, actor) == (general[reply.id], count)


def test_settings_are_read_once_per_transaction_and_fresh_after_any_change(
    app: object, count_queries: Any
) -> None:
    from sqlalchemy import update

    from forum.models import Setting
    from forum.services import site_settings

    with count_queries() as sent:  # no row yet: asked each time, as the ORM's get did
        assert site_settings.site_settings().language == "en"
        assert site_settings.site_settings().language == "en"
    assert len(sent) == 2
    site_settings.store_site_settings(site_settings.SiteSettings(language="en"))
    set_rules(link_limit=3)  # commits both
    with count_queries() as sent:
        assert site_settings.moderation_settings().link_limit == 3
        assert site_settings.site_settings().language == "en"  # read with it
        assert site_settings.moderation_settings().link_limit == 3
    assert len(sent) == 1
    site_settings.store_moderation_settings(site_settings.ModerationSettings(link_limit=4))
    assert site_settings.moderation_settings().link_limit == 4  # its own write, uncommitted
    db.session.rollback()
    assert site_settings.moderation_settings().link_limit == 3  # the write is gone
    row = db.session.get(Setting, site_settings.MODERATION_KEY)
    row.value = {"link_limit": 5}  # an ORM change, flushed by the next query
    db.session.flush()
    assert site_settings.moderation_settings().link_limit == 5
    db.session.execute(update(Setting).values(value={"link_limit": 6}))
    assert site_settings.moderation_settings().link_limit == 6
    db.session.commit()  # expires the session's rows: the next read asks again
    with count_queries() as sent:
        assert site_settings.moderation_settings().link_limit == 6
    assert len(sent) == 1
    db.session.close()
    with count_queries() as sent:
        site_settings.moderation_settings()
    assert len(sent) == 1


def test_new_root_number_in_a_flat_thread_equals_the_general_query(app: object) -> None:
    post = make_post()
    member = make_user()
    other = make_post()
    make_reply(other, parent=make_reply(other))  # answers in another thread only
    roots = [
        make_reply(post),
        make_reply(post, status=ReplyStatus.PENDING, guest_token="other"),
        make_reply(post, status=ReplyStatus.PENDING, guest_token="tok"),
        make_reply(post, author=member, status=ReplyStatus.SPAM),
        make_reply(post, deleted_at=utcnow()),
        make_reply(post),
    ]
    for actor in (Actor(), Actor(guest_token="tok"), Actor(user=member)):
        for reply in roots:
            general, (count,) = numbers_with([reply], actor, 3, approved_count(post.id))
            assert root_number_and_count(reply, actor) == (general[reply.id], count)


def _held_roots(post_id: int, count: int) -> None:
    """`count` held top-level replies, written in one statement (their order is all that counts)."""
    rows = [
        {
            "post_id": post_id,
            "path": f"{n:010d}",
            "status": ReplyStatus.PENDING,
            "body_source": f"Held {n}",
            "body_html": f"<p>Held {n}</p>",
            "guest_token": f"guest-{post_id}-{n}",
            "created_at": utcnow() - timedelta(seconds=count - n),
        }
        for n in range(count)
    ]
    db.session.execute(insert(Reply), rows)
    db.session.commit()


def _new_reply_in_a_thread_grown_since_analyze() -> Reply:
    """A held reply in a thread of 2,000 held ones that PostgreSQL's statistics never saw."""
    older, post = make_post(), make_post()
    _held_roots(older.id, 2_000)
    db.session.execute(text("ANALYZE reply"))  # the statistics, before `post` had any reply
    _held_roots(post.id, 2_000)
    return make_reply(post, status=ReplyStatus.PENDING, guest_token="tok", created_at=utcnow())


@contextmanager
def _statements_run() -> Iterator[list[tuple[str, Any]]]:
    """The statements (and their parameters) sent inside the block."""
    ran: list[tuple[str, Any]] = []
    record = lambda *args: ran.append((args[2], args[3]))  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield ran
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.skipif(EXTERNAL_DATABASE_URL is None, reason="PostgreSQL's planner and statistics")
def test_a_new_reply_counts_by_the_partial_indexes_even_in_a_thread_the_statistics_never_saw(
    app: object,
) -> None:
    """PostgreSQL planned these counts by its statistics, which know nothing of a thread that
    grew since the last ANALYZE: it read the whole thread, row by row, for every new reply."""
    reply = _new_reply_in_a_thread_grown_since_analyze()
    with _statements_run() as ran:
        number = root_number_and_count(reply, Actor(guest_token="tok"))
    assert number == (1, 0)  # the others' held replies are not shown to them
    statement, parameters = next((sql, given) for sql, given in ran if "count(" in sql)
    plan = _plan(statement, parameters)
    assert "ix_reply_approved_post_id_depth_created_at" in plan  # the approved counts
    assert "ix_reply_answers_post_id" in plan  # any answers in the thread?
    assert "Seq Scan" not in plan


@pytest.mark.skipif(EXTERNAL_DATABASE_URL is None, reason="PostgreSQL's plan cache")
def test_a_new_replys_number_is_planned_once_and_still_counts_by_the_partial_indexes(
    app: object,
) -> None:
    """Once psycopg prepares it, every post runs the one plan PostgreSQL made without the
    values (planning it for each post's values took longer than running it); that plan
    reads the same partial indexes, and answers the same."""
    reply = _new_reply_in_a_thread_grown_since_analyze()
    with _statements_run() as ran:
        numbers = {root_number_and_count(reply, Actor(guest_token="tok")) for _ in range(8)}
    assert numbers == {(1, 0)}
    statement, parameters = next((sql, given) for sql, given in ran if "count(" in sql)
    name, types, generic, custom = db.session.execute(
        text(
            "SELECT name, parameter_types::text[], generic_plans, custom_plans"
            " FROM pg_prepared_statements WHERE statement LIKE '%count(*)%'"
        )
    ).one()
    assert (generic, custom) == (3, 0)  # prepared on the sixth run: the plan without values
    # The same plan, explained: the values as literals (EXECUTE's arguments take no bound
    # parameters), in the order psycopg numbered them.
    driver = db.session.connection().connection.driver_connection
    names = list(dict.fromkeys(re.findall(r"%\((\w+)\)s", statement)))
    arguments = ", ".join(
        f"{Literal(parameters[key]).as_string(driver)}::{kind}"
        for key, kind in zip(names, types, strict=True)
    )
    explain = db.session.connection().exec_driver_sql(f"EXPLAIN EXECUTE {name}({arguments})")
    plan = "\n".join(row[0] for row in explain)
    assert "ix_reply_approved_post_id_depth_created_at" in plan
    assert "ix_reply_answers_post_id" in plan
    assert "Seq Scan" not in plan


@pytest.mark.skipif(EXTERNAL_DATABASE_URL is None, reason="PostgreSQL's plan_cache_mode")
def test_generic_plans_are_asked_once_a_transaction_and_hold_in_each(app: object) -> None:
    """A post's rules and its answer's number share one SET LOCAL; the next transaction, and a
    savepoint (whose rollback would undo it), ask again; nothing outlives its transaction."""
    show = text("SHOW plan_cache_mode")
    with _statements_run() as ran:
        assert run_planned_once(show).scalar() == "force_generic_plan"
        assert run_planned_once(show).scalar() == "force_generic_plan"
        db.session.commit()
        assert run_planned_once(show).scalar() == "force_generic_plan"
        savepoint = db.session.begin_nested()
        assert run_planned_once(show).scalar() == "force_generic_plan"
        savepoint.rollback()
        assert run_planned_once(show).scalar() == "force_generic_plan"
        db.session.rollback()
        assert db.session.execute(show).scalar() == "auto"
    assert sum(sql.startswith("SET LOCAL") for sql, _ in ran) == 4


def _a_flood_of_other_guests(post_id: int, count: int) -> None:
    """`count` replies in the last seconds, each from a guest of its own (browser, email,
    address), as a spam run or a busy launch writes them."""
    rows = [
        {
            "post_id": post_id,
            "path": f"{n:010d}",
            "status": ReplyStatus.PENDING,
            "body_source": f"Flood {n}",
            "body_html": f"<p>Flood {n}</p>",
            "guest_token": f"flood-{n}",
            "guest_email": f"flood-{n}@example.org",
            "ip_address": f"10.1.{n // 256}.{n % 256}",
            "created_at": utcnow() - timedelta(milliseconds=n),
        }
        for n in range(count)
    ]
    db.session.execute(insert(Reply), rows)
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ANALYZE reply"))


def _plan(statement: str, parameters: Any) -> str:
    connection = db.session.connection()
    if connection.dialect.name == "postgresql":
        explain = connection.exec_driver_sql(f"EXPLAIN {statement}", parameters)
        return "\n".join(row[0] for row in explain)
    explain = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
    return "\n".join(row[3] for row in explain)


def test_the_flood_check_reads_the_authors_replies_not_the_sites_last_seconds(app: object) -> None:
    """Every post asks whether its author wrote in the last seconds, by browser, email or
    address. Read by date, that was every reply the whole site got in those seconds: in a
    flood, thousands on every post. Each identifier now has its index."""
    post = make_post()
    _a_flood_of_other_guests(post.id, 2_000)
    actor = Actor(guest_token="tok", ip_address="192.0.2.7")
    draft = Draft(actor, post, None, "Hello there", "Ada", "ada@example.org", None)
    settings = moderation_settings()
    with _statements_run() as ran:
        assert look_up(draft, settings, utcnow()).flood is False
    statement, parameters = next((sql, given) for sql, given in ran if "AS flood" in sql)
    plan = _plan(statement, parameters)
    assert "ix_reply_ip_address_created_at" in plan
    assert "ix_reply_created_at" not in plan
    flooding = Draft(Actor(ip_address="10.1.0.5"), post, None, "Again", "Bo", "b@example.org", None)
    assert look_up(flooding, settings, utcnow()).flood is True  # the same address, just now


def test_a_posts_token_counts_are_read_from_the_primary_key_not_the_whole_table(
    app: object,
) -> None:
    """The tokens go as one JSON text; read as an IN subquery PostgreSQL hashed every stored
    token (a site learns tens of thousands) to find a post's fifty."""
    spam.seed_if_empty()
    db.session.execute(
        insert(SpamToken),
        [{"token": f"w:plan{n:05d}", "spam_count": 1, "ham_count": 2} for n in range(5_000)],
    )
    db.session.commit()
    with _statements_run() as ran:
        assert spam.token_counts(["w:plan00007", "w:plan-none"]) == {"w:plan00007": (1, 2)}
        draft = Draft(Actor(guest_token="tok"), make_post(), None, "Zebracorn", "Ada", None, None)
        found = look_up(draft, moderation_settings(), utcnow()).spam_tokens
    assert found == spam.token_counts({*spam.draft_features(draft), *CONTEXT_TOKENS})
    asked = [(sql, given) for sql, given in ran if "spam_token" in sql]
    assert len(asked) == 2  # token_counts' own, and the lookups' column
    for statement, parameters in asked:
        plan = _plan(statement, parameters)
        if db.engine.dialect.name == "postgresql":
            assert "pk_spam_token" in plan
            assert "Seq Scan on spam_token" not in plan
        else:
            assert "SEARCH spam_token USING" in plan
            assert "SCAN spam_token" not in plan
