"""Every model, re-exported so Alembic autogenerate and the app see one metadata."""

from forum.models.api_token import ApiToken
from forum.models.base import Base
from forum.models.content import Category
from forum.models.content import Post
from forum.models.content import PostRevision
from forum.models.content import PostStatus
from forum.models.jobs import ImportRecord
from forum.models.jobs import Job
from forum.models.jobs import JobStatus
from forum.models.like import Like
from forum.models.mail import Delivery
from forum.models.mail import MailAddress
from forum.models.mail import MailEvent
from forum.models.mail import MailMessage
from forum.models.mail import MailPreference
from forum.models.mail import MailStatus
from forum.models.mail import MailThrottle
from forum.models.mail import PendingNotice
from forum.models.mail import Scope
from forum.models.mail import Subscription
from forum.models.moderation import AuditAction
from forum.models.moderation import AuditEntry
from forum.models.moderation import Ban
from forum.models.moderation import Flag
from forum.models.moderation import FlagReason
from forum.models.moderation import ReplyRevision
from forum.models.moderation import Setting
from forum.models.moderation import SpamToken
from forum.models.moderation import VerifiedEmail
from forum.models.notification import Notification
from forum.models.notification import NotificationKind
from forum.models.reply import Reply
from forum.models.reply import ReplyStatus
from forum.models.user import Identity
from forum.models.user import Role
from forum.models.user import User
from forum.models.webhook import DeliveryStatus
from forum.models.webhook import Webhook
from forum.models.webhook import WebhookDelivery

__all__ = [
    "ApiToken",
    "AuditAction",
    "AuditEntry",
    "Ban",
    "Base",
    "Category",
    "Delivery",
    "DeliveryStatus",
    "Flag",
    "FlagReason",
    "Identity",
    "ImportRecord",
    "Job",
    "JobStatus",
    "Like",
    "Notification",
    "NotificationKind",
    "MailAddress",
    "MailEvent",
    "MailMessage",
    "MailPreference",
    "MailStatus",
    "MailThrottle",
    "PendingNotice",
    "Post",
    "PostRevision",
    "PostStatus",
    "Reply",
    "ReplyRevision",
    "ReplyStatus",
    "Role",
    "Scope",
    "Setting",
    "SpamToken",
    "Subscription",
    "User",
    "VerifiedEmail",
    "Webhook",
    "WebhookDelivery",
]
