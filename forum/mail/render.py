"""Outbox rows into messages: text and HTML from templates/mail/<kind>.txt|.html, with headers.

Rendering needs links, so it runs inside a request context on PORCH_SITE_URL (see worker.py).
"""

from __future__ import annotations

from collections.abc import Callable
from email.message import EmailMessage
from email.utils import formatdate
from typing import Any

from flask import current_app
from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from forum.extensions import db
from forum.i18n import _
from forum.i18n import in_language
from forum.i18n import ngettext
from forum.models import MailMessage
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Subscription
from forum.models import User
from forum.security.tokens import make_token
from forum.services.mail.outbox import post_message_id
from forum.services.mail.subscriptions import unsubscribe_token
from forum.services.moderation.queue import Tab
from forum.services.moderation.queue import counts
from forum.web.moderation_presenters import rule_name
from forum.web.verification import GUEST_EMAIL_PURPOSE
from forum.web.verification import RESET_PURPOSE
from forum.web.verification import VERIFY_PURPOSE
from forum.web.verification import external_url
from forum.web.verification import password_fingerprint

Context = dict[str, Any]
SUBSCRIPTION_KINDS = frozenset({"thread_replies", "new_post", "daily_digest"})


class NothingToSay(Exception):
    """The message no longer has anything to tell (reply gone, subscription ended)."""


def _user(data: dict[str, Any]) -> User:
    user = db.session.get(User, data.get("uid"))
    if user is None or not user.email:
        raise NothingToSay("the account is gone")
    return user


def _verify(data: dict[str, Any]) -> Context:
    user = _user(data)
    token = make_token(VERIFY_PURPOSE, {"uid": user.id, "email": data.get("email", user.email)})
    subject = _("Confirm your email address for %(site)s", site=current_app.config["SITE_NAME"])
    return {"subject": subject, "user": user, "link": external_url("passwords.verify", token=token)}


def _reset(data: dict[str, Any]) -> Context:
    user = _user(data)
    token = make_token(RESET_PURPOSE, {"uid": user.id, "fp": password_fingerprint(user)})
    return {
        "subject": _("Reset your %(site)s password", site=current_app.config["SITE_NAME"]),
        "user": user,
        "link": external_url("passwords.reset", token=token),
        "hours": current_app.config["RESET_TOKEN_MAX_AGE"] // 3600 or 1,
    }


def _guest_confirm(data: dict[str, Any]) -> Context:
    token = make_token(GUEST_EMAIL_PURPOSE, {"email": str(data["email"]).lower()})
    return {
        "subject": _("Confirm your email for %(site)s", site=current_app.config["SITE_NAME"]),
        "link": external_url("passwords.confirm_guest_email", token=token),
    }


def _reply(data: dict[str, Any]) -> Reply:
    reply = db.session.get(Reply, data.get("reply_id"), options=[joinedload(Reply.post)])
    if reply is None:
        raise NothingToSay("the reply is gone")
    return reply


def _held(data: dict[str, Any]) -> Context:
    reply = _reply(data)
    if reply.status is not ReplyStatus.PENDING:
        raise NothingToSay("the reply no longer waits")
    return {
        "subject": _("A reply waits for moderation on “%(title)s”", title=reply.post.title),
        "reply": reply,
        "why": rule_name(reply.held_reason) if reply.held_reason else _("pending"),
        "link": external_url("moderation.item", reply_id=reply.id),
    }


def _approved(data: dict[str, Any]) -> Context:
    reply = _reply(data)
    return {
        "subject": _("Your reply on “%(title)s” is published", title=reply.post.title),
        "reply": reply,
        "link": external_url("threads.permalink", slug=reply.post.slug, reply_id=reply.id),
    }


def _mod_digest(data: dict[str, Any]) -> Context:
    waiting = counts()
    return {
        "subject": ngettext(
            "%(num)d reply waits for moderation",
            "%(num)d replies wait for moderation",
            waiting[Tab.PENDING],
        ),
        "pending": waiting[Tab.PENDING],
        "flagged": waiting[Tab.FLAGGED],
        "link": external_url("moderation.index"),
    }


def _visible_replies(ids: list[int]) -> list[Reply]:
    """Only what every reader may see now: approved, not deleted."""
    return list(
        db.session.scalars(
            select(Reply)
            .where(
                Reply.id.in_(ids),
                Reply.status == ReplyStatus.APPROVED,
                Reply.deleted_at.is_(None),
            )
            .options(joinedload(Reply.author))
            .order_by(Reply.id)
        )
    )


def _link(reply: Reply) -> str:
    return external_url("threads.permalink", slug=reply.post.slug, reply_id=reply.id)


def _thread(data: dict[str, Any]) -> Context:
    replies = _visible_replies(list(data.get("reply_ids", [])))
    if not replies:
        raise NothingToSay("no reply left that readers may see")
    post = replies[0].post
    return {
        "subject": ngettext(
            "A new reply on “%(title)s”",
            "%(num)d new replies on “%(title)s”",
            len(replies),
            title=post.title,
        ),
        "post": post,
        "items": [(reply, _link(reply)) for reply in replies],
        "link": external_url("threads.show", slug=post.slug),
    }


def _new_post(data: dict[str, Any]) -> Context:
    post = db.session.get(Post, data.get("post_id"))
    if post is None:
        raise NothingToSay("the post is gone")
    return {
        "subject": _("New post: %(title)s", title=post.title),
        "post": post,
        "link": external_url("threads.show", slug=post.slug),
    }


def _daily(data: dict[str, Any]) -> Context:
    threads = []
    for item in data.get("threads", []):
        post = db.session.get(Post, item.get("post_id"))
        if post is None:
            continue
        replies = _visible_replies(list(item.get("reply_ids", [])))
        if replies or not item.get("reply_ids"):
            threads.append((post, external_url("threads.show", slug=post.slug), replies))
    if not threads:
        raise NothingToSay("nothing left to tell")
    site = current_app.config["SITE_NAME"]
    return {"subject": _("Your daily digest from %(site)s", site=site), "threads": threads}


BUILDERS: dict[str, Callable[[dict[str, Any]], Context]] = {
    "verify_email": _verify,
    "password_reset": _reset,
    "guest_confirm": _guest_confirm,
    "mod_held": _held,
    "mod_digest": _mod_digest,
    "reply_approved": _approved,
    "thread_replies": _thread,
    "new_post": _new_post,
    "daily_digest": _daily,
}


def render(message: MailMessage) -> tuple[str, str, str]:
    """Subject, text and HTML of a message, in the recipient's language; NothingToSay when it
    should not be sent."""
    with in_language(_recipient_language(message)):
        context = BUILDERS[message.kind](message.data)
        context["unsubscribe_url"] = _unsubscribe_url(message)
        context["site_name"] = current_app.config["SITE_NAME"]
        text = render_template(f"mail/{message.kind}.txt", **context)
        html = render_template(f"mail/{message.kind}.html", **context)
        return str(context["subject"]), text, html


def _recipient_language(message: MailMessage) -> str | None:
    """The language an account holder chose; None (the site's) for guests and the rest."""
    chosen: str | None = db.session.scalar(
        select(User.locale).where(User.email == message.to_address)
    )
    return chosen


def _unsubscribe_url(message: MailMessage) -> str | None:
    if message.kind not in SUBSCRIPTION_KINDS:
        return None
    subscription = (
        db.session.get(Subscription, message.subscription_id) if message.subscription_id else None
    )
    if subscription is None:
        raise NothingToSay("the subscription was ended")
    token = unsubscribe_token(subscription, message.to_address)
    return external_url("mail.unsubscribe", token=token)


def build(message: MailMessage) -> EmailMessage:
    """The message to send, from what was rendered and stored on the first attempt."""
    email = EmailMessage()
    email["From"] = current_app.config["MAIL_FROM"]
    email["To"] = message.to_address
    email["Subject"] = message.subject or ""
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = message.message_id
    if message.thread_post_id is not None:
        root = post_message_id(message.thread_post_id)
        email["In-Reply-To"] = root
        email["References"] = root
    if message.kind in SUBSCRIPTION_KINDS:
        url = _unsubscribe_url(message)
        email["List-Unsubscribe"] = f"<{url}>"
        email["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email.set_content(message.body_text or "")
    email.add_alternative(message.body_html or "", subtype="html")
    return email
