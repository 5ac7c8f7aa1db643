"""What members do with their own account: profile, avatar, data export, claiming, deletion."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select
from sqlalchemy import update
from sqlalchemy.orm import joinedload

from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.extensions import db
from forum.i18n import _
from forum.i18n import offered_languages
from forum.models import Identity
from forum.models import Like
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import User
from forum.models.user import new_session_token
from forum.services.display_names import checked_name
from forum.services.threads import is_live
from forum.text.names import clean_name

DELETED_USER_NAME = "Deleted user"
GENERATED_AVATAR = "generated"


@dataclass
class ProfilePage:
    user: User
    replies: list[Reply]
    approved_count: int
    page: int
    has_next: bool


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no member at this address."))
    return user


def profile_page(user: User, page: int, per_page: int) -> ProfilePage:
    """A member's approved replies, newest first, with their posts, in two queries."""
    visible = (
        Reply.author_id == user.id,
        Reply.status == ReplyStatus.APPROVED,
        Reply.deleted_at.is_(None),
        # Not on drafts or scheduled posts: their titles are not public yet.
        Reply.post_id.in_(select(Post.id).where(is_live())),
    )
    rows = db.session.scalars(
        select(Reply)
        .where(*visible)
        .options(joinedload(Reply.post))
        .order_by(Reply.created_at.desc(), Reply.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    count = db.session.scalar(select(func.count(Reply.id)).where(*visible)) or 0
    return ProfilePage(user, list(rows[:per_page]), count, page, len(rows) > per_page)


def update_profile(*, user: User, display_name: str, bio: str, avatar: str) -> None:
    """avatar is "generated" or the id of one of the user's identities whose picture to show."""
    if clean_name(display_name) != user.display_name:  # an unchanged name is not judged again
        user.display_name = checked_name(display_name, field="display_name", user=user)
    user.bio = bio.strip()
    if avatar == GENERATED_AVATAR:
        user.avatar_url = None
    else:
        chosen = next((i for i in user.identities if str(i.id) == avatar and i.picture_url), None)
        if chosen is None:
            raise InvalidInput(
                {"avatar": [_("Choose the generated picture or one of your sign-ins' pictures.")]}
            )
        user.avatar_url = chosen.picture_url
    db.session.commit()


def set_language(*, user: User, language: str | None) -> None:
    """The member's language for pages and email; None: their browser's, else the site's."""
    if language is not None and language not in offered_languages():
        raise InvalidInput({"language": [_("Choose one of the languages in the list.")]})
    user.locale = language
    db.session.commit()


def _claimable(user: User) -> Any:
    return (Reply.author_id.is_(None), func.lower(Reply.guest_email) == user.email)


def claimable_reply_count(user: User) -> int:
    """Replies written as a guest with this account's email; only a confirmed email may claim."""
    if not user.email_verified:
        return 0
    return db.session.scalar(select(func.count(Reply.id)).where(*_claimable(user))) or 0


def claim_guest_replies(*, user: User) -> int:
    if not user.email_verified:
        raise InvalidInput(
            {"email": [_("Confirm your email address first, then claim your replies.")]}
        )
    result = db.session.execute(
        update(Reply)
        .where(*_claimable(user))
        .values(
            author_id=user.id, guest_name=None, guest_email=None, guest_url=None, guest_token=None
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return int(result.rowcount)  # type: ignore[attr-defined]


def export_data(user: User) -> dict[str, Any]:
    """Everything stored about the member, as JSON-ready data (never secrets or tokens)."""
    replies = db.session.scalars(select(Reply).where(Reply.author_id == user.id).order_by(Reply.id))
    likes = db.session.scalars(
        select(Like.reply_id).where(Like.user_id == user.id).order_by(Like.id)
    )
    return {
        "account": {
            "id": user.id,
            "display_name": user.display_name,
            "email": user.email,
            "email_verified": user.email_verified,
            "role": user.role.value,
            "bio": user.bio,
            "avatar_url": user.avatar_url,
            "created_at": user.created_at.isoformat(),
            "has_password": user.password_hash is not None,
        },
        "identities": [
            {
                "provider": i.provider,
                "subject": i.subject,
                "email": i.email,
                "email_verified": i.email_verified,
                "linked_at": i.created_at.isoformat(),
            }
            for i in user.identities
        ],
        "replies": [
            {
                "id": r.id,
                "post_id": r.post_id,
                "parent_id": r.parent_id,
                "status": r.status.value,
                "created_at": r.created_at.isoformat(),
                "body": r.body_source,
            }
            for r in replies
        ],
        "liked_reply_ids": list(likes),
    }


def delete_account(*, user: User) -> None:
    """Remove the account; its replies stay, by "Deleted user", so threads keep their shape."""
    liked = list(db.session.scalars(select(Like.reply_id).where(Like.user_id == user.id)))
    db.session.execute(
        update(Reply)
        .where(Reply.author_id == user.id)
        .values(author_id=None, guest_name=DELETED_USER_NAME, guest_email=None, guest_url=None)
        .execution_options(synchronize_session=False)
    )
    db.session.execute(delete(Like).where(Like.user_id == user.id))
    _recount_likes(liked)
    db.session.execute(delete(Identity).where(Identity.user_id == user.id))
    user.session_token = new_session_token()
    db.session.delete(user)
    db.session.commit()


def _recount_likes(reply_ids: list[int]) -> None:
    if not reply_ids:
        return
    recount = select(func.count(Like.id)).where(Like.reply_id == Reply.id).scalar_subquery()
    db.session.execute(
        update(Reply)
        .where(Reply.id.in_(reply_ids))
        .values(like_count=recount)
        .execution_options(synchronize_session=False)
    )
