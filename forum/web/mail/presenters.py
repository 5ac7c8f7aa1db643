"""Subscriptions as people read them, and the choices of the posts form."""

from __future__ import annotations

from forum.i18n import _
from forum.models import Category
from forum.models import Scope
from forum.models import Subscription
from forum.web.ids import parse_id


def describe(subscription: Subscription) -> str:
    if subscription.scope is Scope.REPLY and subscription.reply is not None:
        return _("Replies to your comment on “%(title)s”", title=subscription.reply.post.title)
    if subscription.scope is Scope.THREAD and subscription.post is not None:
        return _("New replies in “%(title)s”", title=subscription.post.title)
    if subscription.category is not None:
        return _("New posts in %(category)s", category=subscription.category.name)
    if subscription.series_name:
        return _("New posts in the series “%(series)s”", series=subscription.series_name)
    return _("Every new post")


def target_choices(categories: list[Category], series: list[str]) -> dict[str, str]:
    choices = {"site": _("Every post")}
    choices.update(
        {f"c:{category.id}": _("Category: %(name)s", name=category.name) for category in categories}
    )
    choices.update({f"s:{name}": _("Series: %(name)s", name=name) for name in series})
    return choices


def parse_target(target: str) -> tuple[int | None, str | None]:
    """'c:3' → (3, None); 's:Name' → (None, 'Name'); anything else: site-wide."""
    kind, _sep, rest = target.partition(":")
    category_id = parse_id(rest) if kind == "c" else None
    if category_id is not None:
        return category_id, None
    if kind == "s" and rest:
        return None, rest
    return None, None
