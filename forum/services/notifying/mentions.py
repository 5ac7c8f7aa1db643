"""Mentions: which accounts a reply's `@name` or `@"Full Name"` points at.

A handle is a display name with its spaces removed, compared without case: "Ada Lovelace" is
`@AdaLovelace` (or `@adalovelace`), or `@"Ada Lovelace"` quoted. Names match people who took
part in the thread first (the post's author, authors of its visible replies); a name nobody
there has matches an account elsewhere only if exactly one account has it. Text in code spans
and code blocks mentions nobody, and an email address is not a mention.
"""

from __future__ import annotations

import re
from collections import defaultdict

from sqlalchemy import func
from sqlalchemy import or_
from sqlalchemy import select

from forum.extensions import db
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User

MAX_MENTIONS = 10  # more names than this in one reply notify nobody past the tenth
_CODE = re.compile(r"```.*?```|~~~.*?~~~|`[^`\n]*`", re.DOTALL)
_MENTION = re.compile(r"""(?<![\w@/.])@(?:"([^"\n]{1,80})"|(\w[\w.'’-]{0,79}))""")
_TRAILING = ".'’-"


def handle_of(name: str) -> str:
    """The comparable form of a display name or a typed handle: no spaces, no case."""
    return "".join(name.split()).casefold()


def mentioned_handles(source: str) -> list[str]:
    """The distinct handles written in a reply's source, in order, at most MAX_MENTIONS."""
    found: dict[str, None] = {}
    for quoted, bare in _MENTION.findall(_CODE.sub(" ", source)):
        handle = handle_of(quoted or bare.rstrip(_TRAILING))
        if handle:
            found.setdefault(handle)
    return list(found)[:MAX_MENTIONS]


def mentioned_users(reply: Reply) -> list[User]:
    """Accounts the reply mentions, resolved as the module docstring says."""
    handles = mentioned_handles(reply.body_source)
    if not handles:
        return []
    found = [u for u in _participants(reply) if handle_of(u.display_name) in handles]
    missing = set(handles) - {handle_of(u.display_name) for u in found}
    return found + (_unique_elsewhere(missing) if missing else [])


def _participants(reply: Reply) -> list[User]:
    authors = select(Reply.author_id).where(
        Reply.post_id == reply.post_id,
        Reply.status == ReplyStatus.APPROVED,
        Reply.deleted_at.is_(None),
    )
    return list(
        db.session.scalars(
            select(User).where(or_(User.id.in_(authors), User.id == reply.post.author_id))
        )
    )


def _unique_elsewhere(handles: set[str]) -> list[User]:
    """Accounts outside the thread, only for a handle exactly one account has."""
    squashed = func.replace(User.display_name, " ", "")
    candidates = db.session.scalars(select(User).where(func.lower(squashed).in_(handles)))
    by_handle: dict[str, list[User]] = defaultdict(list)
    for user in candidates:
        by_handle[handle_of(user.display_name)].append(user)
    return [
        users[0] for handle, users in by_handle.items() if handle in handles and len(users) == 1
    ]
