"""Every model, re-exported so Alembic autogenerate and the app see one metadata."""

from forum.models.base import Base
from forum.models.content import Category
from forum.models.content import Post
from forum.models.like import Like
from forum.models.reply import Reply
from forum.models.reply import ReplyStatus
from forum.models.user import Identity
from forum.models.user import Role
from forum.models.user import User

__all__ = ["Base", "Category", "Identity", "Like", "Post", "Reply", "ReplyStatus", "Role", "User"]
