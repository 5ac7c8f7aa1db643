"""Authors edit and delete their own replies within the edit window; moderators edit any time.

An author's edit passes the moderation rules again, so an edit cannot sneak in what a new reply
could not; the earlier text is kept as a revision. A deleted reply that others answered stays as
a placeholder so the thread keeps its shape; one that nobody answered is removed entirely.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from datetime import timedelta
from enum import StrEnum

from sqlalchemy import delete
from sqlalchemy import exists
from sqlalchemy import select

from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.i18n import ngettext
from forum.models import Flag
from forum.models import Like
from forum.models import Reply
from forum.models import ReplyRevision
from forum.models import ReplyStatus
from forum.models.base import utcnow
from forum.phrases import N_
from forum.phrases import english
from forum.phrases import phrase
from forum.security.actor import Actor
from forum.security.policies import AuthoredReply
from forum.security.policies import can_edit_own
from forum.security.policies import can_edit_reply
from forum.security.policies import can_moderate
from forum.security.policies import can_see_reply
from forum.security.policies import is_own_reply
from forum.services import notifying
from forum.services.mail import events as mail_events
from forum.services.moderation import actions
from forum.services.moderation.draft import Draft
from forum.services.moderation.lessons import forget
from forum.services.moderation.lessons import retrain
from forum.services.moderation.rules import Decision
from forum.services.moderation.rules import decide
from forum.services.search import index as search_index
from forum.services.site_settings import moderation_settings
from forum.services.webhooks import events as webhooks
from forum.text.render import normalize_source

_SEVERITY = {ReplyStatus.APPROVED: 0, ReplyStatus.PENDING: 1, ReplyStatus.SPAM: 2}
_EDIT_PHRASE = phrase(N_("edited by its author: rules ran on the new text"))
_EDIT_NOTE = {"rule": "edit", "detail": english(_EDIT_PHRASE), "phrase": _EDIT_PHRASE}


class Deletion(StrEnum):
    PLACEHOLDER = "placeholder"  # others answered it: a note keeps its place
    REMOVED = "removed"  # nobody answered: gone entirely


def edit_window() -> timedelta:
    return timedelta(minutes=moderation_settings().edit_window_minutes)


def window_refusal() -> str:
    minutes = moderation_settings().edit_window_minutes
    if not minutes:
        return _("Replies cannot be edited or deleted by their authors on this site.")
    return ngettext(
        "Replies can be edited or deleted only in the first minute after posting.",
        "Replies can be edited or deleted only in the first %(num)d minutes after posting.",
        minutes,
    )


def may_edit(
    actor: Actor, reply: AuthoredReply, window: Callable[[], timedelta] = edit_window
) -> bool:
    """Whether this viewer may still edit the reply (moderators: any reply)."""
    if can_moderate(actor.user):
        return reply.deleted_at is None
    return may_delete(actor, reply, window)


def may_delete(
    actor: Actor, reply: AuthoredReply, window: Callable[[], timedelta] = edit_window
) -> bool:
    """Whether this viewer may still delete the reply: its author, within the window.

    `window` is called only for the viewer's own replies, so other pages read no setting.
    """
    if not is_own_reply(actor.user, actor.guest_token, reply):
        return False
    return can_edit_own(actor.user, actor.guest_token, reply, utcnow(), window())


def edit_deadline(actor: Actor, reply: Reply) -> datetime | None:
    """Until when the author may still change the reply; None for moderators (any time)."""
    if can_moderate(actor.user):
        return None
    return reply.created_at + edit_window()


def reply_to_edit(*, actor: Actor, reply_id: int) -> Reply:
    """The reply for the edit page, or why this viewer may not edit it."""
    reply = visible_reply(actor=actor, reply_id=reply_id)
    if not can_edit_reply(actor.user, actor.guest_token, reply, utcnow(), edit_window()):
        raise Forbidden(_refusal(actor, reply))
    return reply


def reply_to_delete(*, actor: Actor, reply_id: int) -> Reply:
    """The reply for the delete confirmation, or why this viewer may not delete it."""
    reply = visible_reply(actor=actor, reply_id=reply_id)
    if not may_delete(actor, reply):
        raise Forbidden(_refusal(actor, reply))
    return reply


def edit_own_reply(*, actor: Actor, reply_id: int, body: str) -> Reply:
    """New text for a reply; an author's edit is moderated again and may be held."""
    reply = reply_to_edit(actor=actor, reply_id=reply_id)
    if can_moderate(actor.user):
        return actions.edit_reply(moderator=actor.user, reply_id=reply.id, body=body)
    source = normalize_source(body)
    if not source.strip():
        raise InvalidInput({"body": [_("Please write something, or delete the reply instead.")]})
    if source == reply.body_source:
        return reply
    decision = decide(_draft(actor, reply, source))  # may raise (ban) before anything changes
    was_approved = reply.status is ReplyStatus.APPROVED
    actions.replace_body(reply, source, editor=actor.user, by_author=True)
    _apply(reply, decision)
    notifying.reply_visible(reply)  # only names not already told: one notice per person
    if was_approved and reply.status is ReplyStatus.PENDING:  # held by the edit: moderators hear
        mail_events.record(mail_events.REPLY_POSTED, reply_id=reply.id)
        webhooks.emit(webhooks.REPLY_HELD, webhooks.reply_data(reply))
    db.session.commit()
    return reply


def delete_own_reply(*, actor: Actor, reply_id: int) -> Deletion:
    """Delete an author's reply: a placeholder where answers hang below it, else the row."""
    reply = reply_to_delete(actor=actor, reply_id=reply_id)
    if _has_answers(reply):
        reply.deleted_at = utcnow()
        db.session.commit()
        return Deletion.PLACEHOLDER
    forget(reply)  # the spam filter unlearns what this text taught it
    for model in (Like, Flag, ReplyRevision):
        db.session.execute(delete(model).where(model.reply_id == reply.id))
    search_index.unindex_reply(reply.id)
    db.session.delete(reply)
    db.session.commit()
    return Deletion.REMOVED


def visible_reply(*, actor: Actor, reply_id: int) -> Reply:
    """A reply this viewer can see and that is not deleted; NotFound otherwise."""
    reply = db.session.get(Reply, reply_id)
    if reply is None or reply.deleted_at is not None:
        raise NotFound(_("This reply does not exist, or was deleted."))
    if not can_see_reply(actor.user, actor.guest_token, reply):
        raise NotFound(_("This reply does not exist, or was deleted."))
    return reply


def _refusal(actor: Actor, reply: Reply) -> str:
    if not is_own_reply(actor.user, actor.guest_token, reply):
        return _("Only the author of a reply can change it.")
    if actor.user is not None and actor.user.is_banned:
        return _("Your account is banned, so it cannot change replies.")
    if reply.status in (ReplyStatus.SPAM, ReplyStatus.TRASH):
        return _("A moderator has removed this reply, so it can no longer be changed.")
    return window_refusal()


def _has_answers(reply: Reply) -> bool:
    """Any reply below it, whatever its status: a held answer may yet be approved."""
    below = exists().where(
        Reply.post_id == reply.post_id,
        Reply.path.startswith(reply.path + "/", autoescape=True),
    )
    return bool(db.session.scalar(select(below)))


def _draft(actor: Actor, reply: Reply, source: str) -> Draft:
    return Draft(
        actor=actor,
        post=reply.post,
        parent=reply.parent,
        body_source=source,
        guest_name=reply.guest_name,
        guest_email=reply.guest_email,
        guest_url=reply.guest_url,
        editing=True,
        # A moderator approved this author's reply: they are no longer a first-timer.
        known_previously_approved=True if reply.status is ReplyStatus.APPROVED else None,
    )


def _apply(reply: Reply, decision: Decision) -> None:
    """An edit can hold or send to spam, never release a reply that is already held."""
    if _SEVERITY[decision.status] > _SEVERITY[reply.status]:
        reply.status, reply.held_reason = decision.status, decision.reason
        forget(reply)  # a moderator's lesson no longer matches a status the rules set
    verdict = "hold" if reply.status is ReplyStatus.PENDING else "pass"
    taught = reply.spam_lesson is not None
    forget(reply)  # its lesson was learned with the old trace's site context (spam_scoring.py)
    reply.decision_trace = [{**_EDIT_NOTE, "verdict": verdict}, *decision.trace]
    reply.spam_score = decision.spam_score
    if taught:
        retrain([reply])
