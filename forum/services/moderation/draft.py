"""What the rules look at: a reply about to be stored."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from forum.models import Post
from forum.models import Reply
from forum.security.actor import Actor
from forum.services.moderation.spam_calibration import Calibration

if TYPE_CHECKING:  # lookups builds its statement from this module's Draft
    from forum.services.moderation.lookups import Lookups


@dataclass(frozen=True)
class Draft:
    actor: Actor
    post: Post
    parent: Reply | None
    body_source: str
    guest_name: str | None
    guest_email: str | None
    guest_url: str | None
    # Set when replaying a stored reply (rule backtests): rules look only at what came before.
    as_of: datetime | None = None
    known_spam_score: float | None = None
    known_previously_approved: bool | None = None
    known_calibration: Calibration | None = None  # loaded once for a whole backtest
    # An author's edit of a stored reply: only a ban refuses it (no flood, duplicate or closing).
    editing: bool = False
    # A new reply's lookups (lookups.py), made in one statement before the rules run.
    looked_up: Lookups | None = None

    @property
    def email(self) -> str | None:
        """The author's email: the account's, or the one a guest typed."""
        if self.actor.user is not None:
            return self.actor.user.email
        return self.guest_email.lower() if self.guest_email else None
