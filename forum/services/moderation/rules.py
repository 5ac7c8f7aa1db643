"""The rules every new reply passes, in order, each leaving a line in the decision trace.

Refusals (closed post, ban, flood, duplicate) raise before anything is stored. The rest vote:
spam beats hold beats approve, and the first rule to cast the winning vote names the reason
the reply shows in the queue. Moderators and admins skip the rules, as on common blog platforms.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field
from dataclasses import replace
from typing import Any

from sqlalchemy import and_
from sqlalchemy import exists
from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from forum.errors import DomainError
from forum.errors import Forbidden
from forum.errors import InvalidInput
from forum.extensions import db
from forum.i18n import _
from forum.i18n import ngettext
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import VerifiedEmail
from forum.models.base import utcnow
from forum.phrases import N_
from forum.phrases import Phrase
from forum.phrases import english
from forum.phrases import phrase
from forum.phrases import plural_phrase
from forum.security.policies import comments_closed_reason
from forum.services.moderation.bans import active_ban
from forum.services.moderation.draft import Draft
from forum.services.moderation.lookups import look_up
from forum.services.moderation.matching import find_keyword
from forum.services.moderation.matching import ip_in_ranges
from forum.services.moderation.spam_scoring import assess_draft
from forum.services.moderation.spam_scoring import known_verdict
from forum.services.site_settings import ModerationSettings
from forum.services.site_settings import moderation_settings

_LINK = re.compile(r"https?://|www\.", re.IGNORECASE)
_SEVERITY = {ReplyStatus.APPROVED: 0, ReplyStatus.PENDING: 1, ReplyStatus.SPAM: 2}


class TooFast(DomainError):
    status_code = 429


@dataclass
class Decision:
    status: ReplyStatus = ReplyStatus.APPROVED
    reason: str | None = None  # the rule that decided a non-approved status
    spam_score: float | None = None
    trace: list[dict[str, Any]] = field(default_factory=list)

    def note(self, rule: str, detail: Phrase, verdict: ReplyStatus | None = None) -> None:
        """Add a trace line; a verdict worse than the current one takes over.

        The detail is stored in English and as a phrase, so moderators read it in their language.
        """
        self.trace.append(
            {
                "rule": rule,
                "detail": english(detail),
                "verdict": _verdict_name(verdict),
                "phrase": detail,
            }
        )
        if verdict is not None and _SEVERITY[verdict] > _SEVERITY[self.status]:
            self.status, self.reason = verdict, rule


def _verdict_name(verdict: ReplyStatus | None) -> str:
    return {None: "pass", ReplyStatus.PENDING: "hold", ReplyStatus.SPAM: "spam"}.get(
        verdict, "pass"
    )


def decide(draft: Draft, settings: ModerationSettings | None = None) -> Decision:
    """Refuse, or decide the status a new reply starts in, with the trace of why."""
    settings = settings or moderation_settings()
    decision = Decision()
    user = draft.actor.user
    if user is not None and user.is_moderator:
        decision.note("staff", phrase(N_("%(role)s → rules skipped"), role=user.role.value))
        return decision
    if draft.editing:
        _refuse_banned(draft)
    elif draft.as_of is None:  # a backtest replays stored replies: nothing to refuse
        draft = _refusals(draft, settings)
    for rule in RULES:
        rule(draft, settings, decision)
    return decision


def _refusals(draft: Draft, settings: ModerationSettings) -> Draft:
    """Refuse, or the draft with its lookups for the rules below (one statement for all)."""
    now = utcnow()
    if closed := comments_closed_reason(draft.post, settings.close_after_days, now):
        raise Forbidden(closed)
    if draft.parent is not None and draft.parent.locked_at is not None:
        raise Forbidden(_("A moderator has locked this conversation: no new replies under it."))
    _refuse_banned(draft)
    found = look_up(draft, settings, now)
    if found.flood:
        raise TooFast(
            ngettext(
                "You are posting too quickly: please wait %(num)d second between replies. "
                "Your text is kept below.",
                "You are posting too quickly: please wait %(num)d seconds between replies. "
                "Your text is kept below.",
                settings.flood_seconds,
            )
        )
    if found.duplicate:
        raise InvalidInput({"body": [_("You already posted this reply here.")]})
    return replace(draft, looked_up=found)


def _refuse_banned(draft: Draft) -> None:
    ban = active_ban(user=draft.actor.user, email=draft.email, ip=draft.actor.ip_address)
    if ban is not None:
        if ban.reason:
            raise Forbidden(
                _("You are banned from posting here. Reason: %(reason)s", reason=ban.reason)
            )
        raise Forbidden(_("You are banned from posting here."))


def _fields(draft: Draft) -> dict[str, str]:
    """Where keywords are looked for, as on common blog platforms."""
    values = {
        "text": draft.body_source,
        "name": draft.actor.user.display_name if draft.actor.user else draft.guest_name,
        "email": draft.email,
        "website": draft.guest_url,
        "IP": draft.actor.ip_address,
    }
    return {name: value for name, value in values.items() if value}


def _blocklist(draft: Draft, settings: ModerationSettings, decision: Decision) -> None:
    hit = find_keyword(settings.spam_keywords, _fields(draft))
    email = (draft.email or "").lower()
    if hit:
        found = phrase(N_("blocked word “%(word)s” in %(field)s"), word=hit[0], field=hit[1])
        decision.note("blocklist", found, ReplyStatus.SPAM)
    elif email and email in {e.lower() for e in settings.spam_emails}:
        decision.note(
            "blocklist", phrase(N_("blocked email %(email)s"), email=email), ReplyStatus.SPAM
        )
    elif draft.actor.ip_address and ip_in_ranges(draft.actor.ip_address, settings.spam_ips):
        address = phrase(N_("blocked address %(address)s"), address=draft.actor.ip_address)
        decision.note("blocklist", address, ReplyStatus.SPAM)
    else:
        decision.note("blocklist", phrase(N_("no blocked word, email or address")))


def _hold_all(draft: Draft, settings: ModerationSettings, decision: Decision) -> None:
    if settings.hold_all:
        waits = phrase(N_("every reply waits for approval"))
        decision.note("hold_all", waits, ReplyStatus.PENDING)


def _links(draft: Draft, settings: ModerationSettings, decision: Decision) -> None:
    count = len(_LINK.findall(draft.body_source))
    if settings.link_limit and count >= settings.link_limit:
        many = plural_phrase(
            N_("%(num)d link ≥ %(limit)d"),
            N_("%(num)d links ≥ %(limit)d"),
            count,
            limit=settings.link_limit,
        )
        decision.note("links", many, ReplyStatus.PENDING)
    else:
        decision.note(
            "links",
            plural_phrase(
                N_("%(num)d link < %(limit)s"),
                N_("%(num)d links < %(limit)s"),
                count,
                limit=settings.link_limit or "∞",
            ),
        )


def _keywords(draft: Draft, settings: ModerationSettings, decision: Decision) -> None:
    hit = find_keyword(settings.hold_keywords, _fields(draft))
    if hit:
        found = phrase(N_("“%(word)s” in %(field)s"), word=hit[0], field=hit[1])
        decision.note("keyword", found, ReplyStatus.PENDING)
    else:
        decision.note("keyword", phrase(N_("no moderation keyword")))


def _first_time(draft: Draft, settings: ModerationSettings, decision: Decision) -> None:
    if not settings.hold_first_time:
        return
    if draft.known_previously_approved is not None:
        known, who = draft.known_previously_approved, "author"
    elif draft.looked_up is not None and draft.looked_up.first_time is not None:
        known, who = draft.looked_up.first_time
    else:
        known, who = _previously_approved(draft)
    if known:
        decision.note("first_time", phrase(_HAS_APPROVED[who]))
    else:
        decision.note("first_time", phrase(_FIRST_FROM[who]), ReplyStatus.PENDING)


# Whole sentences per kind of author, so each language can word them its own way.
_HAS_APPROVED = {
    "author": N_("this author has an approved reply"),
    "account": N_("this account has an approved reply"),
    "browser": N_("this confirmed email on this browser has an approved reply"),
}
_FIRST_FROM = {
    "author": N_("first reply from this author"),
    "account": N_("first reply from this account"),
    "unconfirmed": N_("first reply from an unconfirmed email"),
    "no_email": N_("first reply from a guest without email"),
    "browser": N_("first reply from this confirmed email on this browser"),
}


def _previously_approved(draft: Draft) -> tuple[bool, str]:
    """By account; for guests only by an email they confirmed, never a typed-in one."""
    approved = (
        and_(Reply.status == ReplyStatus.APPROVED, Reply.created_at < draft.as_of)
        if draft.as_of
        else Reply.status == ReplyStatus.APPROVED
    )
    if draft.actor.user is not None:
        query = select(exists().where(approved, Reply.author_id == draft.actor.user.id))
        return bool(db.session.scalar(query)), "account"
    email = draft.email
    if not email or db.session.get(VerifiedEmail, email) is None:
        return False, "unconfirmed" if email else "no_email"
    # Only from the browser that wrote the approved reply: anyone can type a known address.
    # Imported replies (WordPress, Disqus) have no browser: for them the confirmed email is proof.
    same_browser = or_(Reply.guest_token == draft.actor.guest_token, Reply.guest_token.is_(None))
    query = select(exists().where(approved, func.lower(Reply.guest_email) == email, same_browser))
    return bool(db.session.scalar(query)), "browser"


def _spam_score(draft: Draft, settings: ModerationSettings, decision: Decision) -> None:
    if draft.known_spam_score is not None:  # a backtest: the score the reply got then
        score, verdict = (
            draft.known_spam_score,
            known_verdict(draft.known_spam_score, settings, draft.known_calibration),
        )
        context, enough = "", True
        reasons: list[Phrase] = []
    else:
        found = assess_draft(draft, settings)
        score, verdict, reasons = found.probability, found.verdict, found.reasons
        context, enough = " ".join(found.context), found.enough_decisions
    decision.spam_score = score
    detail = phrase(N_("spam score %(score).2f"), score=score)
    if reasons:
        detail = phrase(
            N_("spam score %(score).2f; most weight: %(reasons)s"), score=score, reasons=reasons
        )
    if verdict == "spam":
        decision.note("spam_score", detail, ReplyStatus.SPAM)
    elif verdict == "hold":
        if not enough:
            detail = phrase(
                N_("%(detail)s (too few decisions yet to send anything straight to spam)"),
                detail=detail,
            )
        decision.note("spam_score", detail, ReplyStatus.PENDING)
    else:
        decision.note("spam_score", detail)
    decision.trace[-1]["context"] = context  # learned with the reply: see spam_scoring.py


Rule = Callable[[Draft, ModerationSettings, Decision], None]
RULES: tuple[Rule, ...] = (_blocklist, _hold_all, _links, _keywords, _first_time, _spam_score)
