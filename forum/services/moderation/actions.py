"""What moderators do to replies: change status (one or many), edit, reply, act on branches.

Every action checks the policy, changes rows with guarded UPDATEs (only replies still in a state
the action applies to), appends one audit entry with before and after, and commits once.
"""

from __future__ import annotations

from collections.abc import Iterable
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field

from sqlalchemy import select
from sqlalchemy import update

from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.models import AuditAction
from forum.models import AuditEntry
from forum.models import Reply
from forum.models import ReplyRevision
from forum.models import ReplyStatus
from forum.models import User
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.services import notifying
from forum.services.mail import events as mail_events
from forum.services.moderation import audit
from forum.services.moderation.flags import close_open_flags
from forum.services.moderation.lessons import forget
from forum.services.moderation.lessons import retrain
from forum.services.moderation.permissions import require_moderator
from forum.services.search import index as search_index
from forum.services.webhooks import events as webhooks
from forum.text.render import normalize_source
from forum.text.render import render

PENDING, APPROVED, SPAM, TRASH = (
    ReplyStatus.PENDING,
    ReplyStatus.APPROVED,
    ReplyStatus.SPAM,
    ReplyStatus.TRASH,
)


@dataclass(frozen=True)
class Transition:
    audit_action: AuditAction
    sources: frozenset[ReplyStatus]
    target: ReplyStatus


TRANSITIONS: dict[str, Transition] = {
    "approve": Transition(AuditAction.APPROVE, frozenset({PENDING, SPAM, TRASH}), APPROVED),
    "trash": Transition(AuditAction.TRASH, frozenset({PENDING, APPROVED, SPAM}), TRASH),
    "spam": Transition(AuditAction.SPAM, frozenset({PENDING, APPROVED, TRASH}), SPAM),
    "not_spam": Transition(AuditAction.NOT_SPAM, frozenset({SPAM}), APPROVED),
}


@dataclass
class ModerationResult:
    changed: list[Reply] = field(default_factory=list)
    skipped: int = 0  # already in the target state, or changed by someone else meanwhile
    entry: AuditEntry | None = None


def moderate(
    *,
    moderator: User | None,
    reply_ids: list[int],
    action: str,
    reason: str = "",
    seen: Mapping[int, ReplyStatus] | None = None,
) -> ModerationResult:
    """Approve, trash, mark spam or not spam any number of replies, in one transaction.

    `seen` holds the status each reply had on the moderator's screen: a reply another
    moderator has decided on since is skipped, so two moderators clicking at once leave one
    decision (and one audit entry), not the later click silently overriding the first.
    """
    seen = seen or {}
    actor = require_moderator(moderator)
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise InvalidInput({"action": [_("Unknown action “%(action)s”.", action=action)]})
    if not reply_ids:
        raise InvalidInput({"ids": [_("Select at least one reply.")]})
    replies = list(db.session.scalars(select(Reply).where(Reply.id.in_(reply_ids))))
    still_as_seen = [r for r in replies if seen.get(r.id, r.status) is r.status]
    eligible = [r for r in still_as_seen if r.status in transition.sources]
    result = ModerationResult(skipped=len(reply_ids) - len(eligible))
    # Deciding on a reply settles its reports, even when it already had that status.
    settled = close_open_flags(
        moderator=actor,
        reply_ids=[
            r.id for r in still_as_seen if r.status in (*transition.sources, transition.target)
        ],
    )
    if not eligible:
        if settled:
            result.entry = audit.record(
                actor=actor,
                action=AuditAction.RESOLVE_FLAGS,
                target_type="reply",
                target_ids=settled,
                reason=reason,
            )
            db.session.commit()
        return result
    before = {r.id: r.status.value for r in eligible}
    changed = _set_status_as_seen(eligible, transition, actor, seen)
    result.skipped = len(reply_ids) - len(changed)
    if changed:
        retrain(changed)
        result.entry = audit.record(
            actor=actor,
            action=transition.audit_action,
            target_type="reply",
            target_ids=[r.id for r in changed],
            before={"status": {str(r.id): before[r.id] for r in changed}},
            after={"status": transition.target.value},
            reason=reason,
        )
        if transition.target is APPROVED:  # its author, and whom it answers, hear of it now
            notifying.replies_visible(changed, approved_by=actor)
        if transition.target is ReplyStatus.APPROVED:
            for reply in changed:  # the authors who asked, and subscribers, hear of it
                mail_events.record(mail_events.REPLY_APPROVED, reply_id=reply.id)
        webhooks.replies_moderated([r.id for r in changed], transition.target, actor.display_name)
    db.session.commit()
    result.changed = changed
    return result


def _set_status_as_seen(
    replies: list[Reply], transition: Transition, actor: User, seen: Mapping[int, ReplyStatus]
) -> list[Reply]:
    """set_status, each reply guarded by the status its moderator saw (when known)."""
    by_seen: dict[ReplyStatus | None, list[Reply]] = {}
    for reply in replies:
        by_seen.setdefault(seen.get(reply.id), []).append(reply)
    changed = []
    for status, group in by_seen.items():
        sources = transition.sources if status is None else {status}
        changed += set_status(group, sources, transition.target, actor)
    return changed


def set_status(
    replies: list[Reply], sources: Iterable[ReplyStatus], target: ReplyStatus, actor: User
) -> list[Reply]:
    """One guarded UPDATE; returns only the replies it changed, not those moved meanwhile."""
    statement = (
        update(Reply)
        .where(Reply.id.in_([r.id for r in replies]), Reply.status.in_(list(sources)))
        .values(status=target, moderated_at=utcnow(), moderated_by_id=actor.id)
        .returning(Reply.id)
        .execution_options(synchronize_session=False)
    )
    changed_ids = set(db.session.execute(statement).scalars())
    changed = [reply for reply in replies if reply.id in changed_ids]
    for reply in changed:
        db.session.refresh(reply)
    return changed


def set_statuses(
    *, moderator: User, statuses: dict[int, ReplyStatus], expected: ReplyStatus | None
) -> list[int]:
    """Put replies back to given statuses (undo), only those still `expected`; returns them."""
    changed = []
    for reply_id, status in statuses.items():
        still = Reply.status == expected if expected is not None else Reply.status != status
        result = db.session.execute(
            update(Reply)
            .where(Reply.id == reply_id, still, Reply.status != status)
            .values(status=status, moderated_at=utcnow(), moderated_by_id=moderator.id)
            .execution_options(synchronize_session=False)
        )
        if result.rowcount:  # type: ignore[attr-defined]
            changed.append(reply_id)
    if changed:
        restored = list(
            db.session.scalars(
                select(Reply).where(Reply.id.in_(changed)).execution_options(populate_existing=True)
            )
        )
        retrain(restored)
        notifying.replies_visible(restored)  # back up: only what was never told is told now
    return changed


def edit_reply(*, moderator: User | None, reply_id: int, body: str, reason: str = "") -> Reply:
    """Change a reply's text, keeping the old text as a revision."""
    actor = require_moderator(moderator)
    reply = db.session.get(Reply, reply_id)
    if reply is None:
        raise NotFound(_("That reply does not exist."))
    source = normalize_source(body)
    if not source.strip():
        raise InvalidInput({"body": [_("The text cannot be empty.")]})
    before = {"body": reply.body_source}
    replace_body(reply, source, editor=actor, by_author=reply.author_id == actor.id)
    audit.record(
        actor=actor,
        action=AuditAction.EDIT,
        target_type="reply",
        target_ids=[reply.id],
        before=before,
        after={"body": source},
        reason=reason,
    )
    notifying.reply_visible(reply)  # a name the edit added; earlier ones were told already
    db.session.commit()
    return reply


@dataclass
class ModeratorReply:
    answer: Reply
    approved: list[Reply]  # the parent, when answering it approved it


def reply_as_moderator(
    *, moderator: User | None, actor: Actor, parent_id: int, body: str
) -> ModeratorReply:
    """Answer a reply as a moderator; a held reply is approved first, since it is answered."""
    from forum.services.replying import post_reply

    staff = require_moderator(moderator)
    parent = db.session.get(Reply, parent_id)
    if parent is None:
        raise NotFound(_("That reply does not exist."))
    approved: list[Reply] = []
    if parent.status is not APPROVED:
        approved = moderate(
            moderator=staff, reply_ids=[parent.id], action="approve", reason="approved to answer it"
        ).changed
    answer = post_reply(actor=actor, post=parent.post, parent_id=parent.id, body=body, guest=None)
    audit.record(
        actor=staff,
        action=AuditAction.MODERATOR_REPLY,
        target_type="reply",
        target_ids=[answer.id],
        after={"parent_id": parent.id},
    )
    db.session.commit()
    return ModeratorReply(answer=answer, approved=approved)


def replace_body(
    reply: Reply, source: str, *, editor: User | None, by_author: bool = False
) -> None:
    """New text for a reply, keeping the old one as a revision (no commit).

    The spam filter forgets what the old text taught and learns the new text instead.
    """
    taught = reply.spam_lesson is not None
    forget(reply)
    db.session.add(
        ReplyRevision(
            reply_id=reply.id,
            body_source=reply.body_source,
            body_html=reply.body_html,
            edited_by_id=editor.id if editor is not None else None,
            by_author=by_author,
        )
    )
    reply.body_source, reply.body_html, reply.edited_at = source, render(source), utcnow()
    search_index.index_reply(reply)
    if taught:
        retrain([reply])
