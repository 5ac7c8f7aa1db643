"""Who is acting: an account or a guest browser, plus the request facts moderation keeps."""

from __future__ import annotations

from dataclasses import dataclass

from forum.models import User


@dataclass(frozen=True)
class Actor:
    """Built once per request by the web layer; services never read the request themselves."""

    user: User | None = None
    guest_token: str | None = None
    ip_address: str | None = None
    user_agent: str | None = None

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None
