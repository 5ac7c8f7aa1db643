"""Moderators: the queue with its filters, one item in detail, and decisions on replies."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from forum.models import ReplyStatus
from forum.models import User
from forum.services.moderation import actions
from forum.services.moderation import queue
from forum.services.moderation.keep import keep
from forum.web.api import schemas
from forum.web.api.auth import caller
from forum.web.api.blueprint import moderator_route
from forum.web.api.body import json_body
from forum.web.api.body import query_args
from forum.web.api.presenters import item_json
from forum.web.api.presenters import queue_item_json
from forum.web.api.reading import PAGE
from forum.web.api.reading import page_arg

PER_PAGE = 50
TABS = [tab.value for tab in queue.Tab]
# The dashboard queue's filters, by the same names as its URL parameters.
FILTERS = {
    "post": schemas.ID,
    "author": schemas.STR,
    "email": schemas.STR,
    "ip": schemas.STR,
    "q": schemas.STR,
    "reason": schemas.STR,
}


def moderator() -> User | None:
    """Who acts; the services check again that they may."""
    return caller().user


def _filters(args: dict[str, object]) -> queue.QueueFilters:
    def text(name: str) -> str | None:
        found = args.get(name)
        return str(found) if found else None

    post = args.get("post")
    return queue.QueueFilters(
        post_id=post if isinstance(post, int) else None,
        author=text("author"),
        email=text("email"),
        ip=text("ip"),
        text=text("q"),
        reason=text("reason"),
    )


@moderator_route(
    "/moderation/queue",
    "GET",
    summary="A page of the moderation queue, filtered as on the dashboard",
    response=schemas.QUEUE,
    query={**PAGE, "tab": {"enum": TABS}, "sort": {"enum": ["newest", "oldest"]}, **FILTERS},
)
def moderation_queue() -> ResponseReturnValue:
    args = query_args()
    tab = queue.Tab(args.get("tab", queue.Tab.PENDING.value))
    found = queue.load_queue(
        tab=tab,
        filters=_filters(args),
        newest_first=args.get("sort", "newest") == "newest",
        page=page_arg(),
        per_page=PER_PAGE,
    )
    return jsonify(
        items=[queue_item_json(item) for item in found.items],
        counts=_counts(found.counts),
        groups=[{"reason": reason, "count": count} for reason, count in found.groups],
        tab=tab.value,
        page=found.page,
        has_next=found.has_next,
    )


def _counts(counts: dict[queue.Tab, int]) -> dict[str, int]:
    return {tab.value: n for tab, n in counts.items()}


@moderator_route(
    "/moderation/replies/<int:reply_id>",
    "GET",
    summary="One reply with its reports, earlier texts and its author's record",
    response=schemas.ITEM,
)
def moderation_item(reply_id: int) -> ResponseReturnValue:
    return jsonify(item_json(queue.item_detail(reply_id)))


@moderator_route(
    "/moderation/actions",
    "POST",
    summary="Approve, keep (dismiss the reports), trash, mark spam or not spam, in bulk",
    response=schemas.ACTED,
    body=schemas.ACT_IN,
)
def moderate() -> ResponseReturnValue:
    data = json_body()
    ids, reason = data["ids"], data.get("reason", "")
    if data["action"] == "keep":
        result = keep(moderator=moderator(), reply_ids=ids, reason=reason)
    else:
        seen = {int(key): ReplyStatus(value) for key, value in data.get("seen", {}).items()}
        result = actions.moderate(
            moderator=moderator(), reply_ids=ids, action=data["action"], reason=reason, seen=seen
        )
    return _acted(result)


@moderator_route(
    "/moderation/groups/approve",
    "POST",
    summary="Approve every pending reply held by one rule (the Pending tab's groups)",
    response=schemas.ACTED,
    body=schemas.GROUP_IN,
)
def approve_group() -> ResponseReturnValue:
    reason = json_body()["reason"]
    ids = queue.ids_in_group(reason)
    result = actions.ModerationResult()  # an emptied group: nothing to do, not an error
    if ids:
        result = actions.moderate(
            moderator=moderator(),
            reply_ids=ids,
            action="approve",
            reason=f"approved the “{reason}” group",  # as the dashboard logs it
        )
    return _acted(result)


def _acted(result: actions.ModerationResult) -> ResponseReturnValue:
    """What changed, the audit entry to undo it by, and the tabs' new counts."""
    return jsonify(
        changed=[r.id for r in result.changed],
        skipped=result.skipped,
        entry_id=result.entry.id if result.entry else None,
        counts=_counts(queue.counts()),
    )
