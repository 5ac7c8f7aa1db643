"""Moderation decisions. For now only the entry point every new reply goes through."""

from __future__ import annotations

from dataclasses import dataclass

from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.security.actor import Actor


@dataclass(frozen=True)
class Draft:
    """A reply about to be stored: what the rules look at."""

    actor: Actor
    post: Post
    parent: Reply | None
    body_source: str
    guest_name: str | None
    guest_email: str | None
    guest_url: str | None


def decide_status(draft: Draft) -> ReplyStatus:
    """The status a new reply starts in; the one place every moderation rule plugs in.

    Banned accounts never get here: replying refuses them first (security.policies.can_post).
    Until the moderation rules land, every other reply is approved.
    """
    return ReplyStatus.APPROVED
