"""A reply's number: its place, oldest first, in the list the thread page shows it in.

Top-level replies are numbered 1, 2, … in the order they were written, whatever the sort and
the page, so "51." means the 51st reply on every page and on its permalink. Nested replies are
numbered within the list under their shown parent, in path (oldest first) order; past the
depth cap that list holds every deeper reply of the branch. Hidden replies that keep visible
answers in place (the "removed" placeholders) count, as the page shows them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement
from sqlalchemy import ScalarSelect
from sqlalchemy import Select
from sqlalchemy import and_
from sqlalchemy import bindparam
from sqlalchemy import case
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import literal_column
from sqlalchemy import or_
from sqlalchemy import select
from sqlalchemy.orm import aliased

from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.security.actor import Actor
from forum.services import statements
from forum.services.threads import Viewer
from forum.services.threads import approved_count
from forum.services.threads import approved_live
from forum.services.threads import has_visible_child
from forum.services.threads import held_by
from forum.services.threads import shown_roots
from forum.services.threads import visible_to


def numbers_of(replies: Sequence[Reply], actor: Actor, max_depth: int) -> dict[int, int]:
    """The number each reply has on the thread page, for this viewer, in one query."""
    if not replies:
        return {}
    return numbers_with(replies, actor, max_depth)[0]


def numbers_with(
    replies: Sequence[Reply], actor: Actor, max_depth: int, *also: ScalarSelect[int]
) -> tuple[dict[int, int], list[int]]:
    """numbers_of, with more counts asked in the same query (their values, in order)."""
    last_level = max(max_depth, 1) - 1
    counts = [_earlier_in_list(reply, actor, last_level) for reply in replies]
    row = db.session.execute(select(*counts, *also)).one()
    befores, values = row[: len(counts)], row[len(counts) :]
    numbers = {reply.id: (before or 0) + 1 for reply, before in zip(replies, befores, strict=True)}
    return numbers, [value or 0 for value in values]


def root_number_and_count(reply: Reply, actor: Actor) -> tuple[int, int]:
    """A top-level reply's number, and the thread's approved count: numbers_with([reply],
    actor, max_depth, approved_count(post)) by a statement built once per kind of viewer (a
    new reply's answer asks it on every post, and building it cost more than running it)."""
    shape = (actor.user_id is not None, bool(actor.guest_token))
    values = {
        "post_id": reply.post_id,
        "created_at": reply.created_at,
        "reply_id": reply.id,
        "viewer_id": actor.user_id,
        "viewer_token": actor.guest_token,
    }
    before, count = tuple(statements.run_planned_once(_root_statement(shape), values).one())
    return (before or 0) + 1, count or 0


_ROOT_STATEMENTS: dict[tuple[bool, bool], Select[int, int]] = {}
_HELD_STATUSES = [status for status in ReplyStatus if status != ReplyStatus.APPROVED]


def _root_statement(shape: tuple[bool, bool]) -> Select[int, int]:
    """shown_roots' earlier count as approved + the viewer's held + answered hidden roots, less
    the viewer's held ones that are answered too (counted twice). The approved ones are counted
    in ix_reply_post_id_depth_status_deleted_at_created_at alone; the hidden ones (every
    bench post is held) each cost one probe for an answer, no row read, and only in a thread
    with answers; the viewer's by their own index. Equal to the general count (tests)."""
    if shape not in _ROOT_STATEMENTS:
        viewer = Viewer(
            user_id=bindparam("viewer_id") if shape[0] else None,
            guest_token=bindparam("viewer_token") if shape[1] else None,
        )
        at: Any = bindparam("created_at")
        reply_id: Any = bindparam("reply_id")
        earlier = or_(Reply.created_at < at, and_(Reply.created_at == at, Reply.id < reply_id))
        root = (Reply.post_id == bindparam("post_id"), Reply.depth == 0, earlier)
        # `post_id + 0`: the viewer's few replies by their own index, not the thread's roots.
        own_root = (
            Reply.post_id + literal_column("0") == bindparam("post_id"),
            Reply.depth + literal_column("0") == 0,
            earlier,
            held_by(viewer),
        )
        hidden = or_(
            Reply.status.in_(_HELD_STATUSES),
            and_(Reply.status == ReplyStatus.APPROVED, Reply.deleted_at.is_not(None)),
        )
        answered = has_visible_child(viewer)
        approved = _count(*root, approved_live())
        # Only a thread with any answers can have an answered hidden root: a flat one (the
        # bench's) skips the probes (a CASE runs its branch's subqueries only when taken).
        # A literal 0, as ix_reply_answers_post_id's WHERE says (see approved_live).
        nested = exists().where(
            Reply.post_id == bindparam("post_id"), Reply.depth > literal_column("0")
        )
        answered_hidden = case(
            (nested, _count(*root, hidden, answered) - _count(*own_root, answered)), else_=0
        )
        before = approved + _count(*own_root) + answered_hidden
        post_id: Any = bindparam("post_id")
        _ROOT_STATEMENTS[shape] = select(before, approved_count(post_id))
    return _ROOT_STATEMENTS[shape]


def _count(*where: ColumnElement[bool]) -> ScalarSelect[int]:
    return select(func.count()).where(*where).scalar_subquery()


def _earlier_in_list(reply: Reply, actor: Actor, last_level: int) -> ScalarSelect[int]:
    """How many replies the thread page shows before this one in the same list."""
    if reply.depth == 0:
        earlier_root = or_(
            Reply.created_at < reply.created_at,
            and_(Reply.created_at == reply.created_at, Reply.id < reply.id),
        )
        before = shown_roots(reply.post, actor).where(earlier_root).subquery()
        return select(func.count()).select_from(before).scalar_subquery()
    display_depth = min(reply.depth, last_level)
    list_prefix = "/".join(reply.path.split("/")[:display_depth]) + "/"
    same_list = (
        Reply.depth >= last_level if display_depth == last_level else Reply.depth == display_depth
    )
    return (
        select(func.count(Reply.id))
        .where(
            Reply.post_id == reply.post_id,
            Reply.path.startswith(list_prefix, autoescape=True),
            Reply.path < reply.path,
            same_list,
            _shown(actor),
        )
        .scalar_subquery()
    )


# Built once (a new alias costs ~1 ms per query); it only stands inside one EXISTS.
_BELOW = aliased(Reply, name="below_in_list")


def _shown(actor: Actor) -> ColumnElement[bool]:
    """Visible to the viewer, or a placeholder holding a visible reply below it."""
    below = _BELOW
    visible_below = exists().where(
        below.root_id == Reply.root_id,
        below.path.startswith(Reply.path + "/"),
        visible_to(actor, below),
    )
    return or_(visible_to(actor), visible_below)
