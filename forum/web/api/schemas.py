"""JSON Schemas of what the API takes and answers (the OpenAPI document's components)."""

from __future__ import annotations

from typing import Any

from forum.models import ReplyStatus

Schema = dict[str, Any]


def obj(required: dict[str, Schema], optional: dict[str, Schema] | None = None) -> Schema:
    """An object with these properties, the first set required; no others allowed."""
    return {
        "type": "object",
        "properties": {**required, **(optional or {})},
        "required": list(required),
        "additionalProperties": False,
    }


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
TIME: Schema = {"type": "string", "format": "date-time"}
ID: Schema = {"type": "integer", "minimum": 1, "maximum": 2**31 - 1}  # a database id
PAGE: Schema = {"type": "integer", "minimum": 1, "maximum": 100000}
COUNTS: Schema = {"type": "object", "additionalProperties": INT}
REASON: Schema = {"type": "string", "maxLength": 500}  # for the audit log
BODY: Schema = {"type": "string", "minLength": 1, "maxLength": 20000}

ERROR = obj(
    {
        "error": obj(
            {"code": STR, "message": STR},
            {"fields": nullable({"type": "object", "additionalProperties": {"type": "array"}})},
        )
    }
)

COMPONENTS: dict[str, Schema] = {
    "Error": ERROR,
    "Category": obj({"id": INT, "slug": STR, "name": STR, "description": STR}),
    "Post": obj(
        {
            "id": INT,
            "slug": STR,
            "title": STR,
            "url": STR,
            "category": nullable(STR),
            "published_at": TIME,
            "reply_count": INT,
            "last_activity_at": TIME,
        }
    ),
    "Reply": obj(
        {
            "id": INT,
            "number": INT,
            "parent_id": nullable(INT),
            "author": STR,
            "body_html": STR,
            "created_at": TIME,
            "edited_at": nullable(TIME),
            "like_count": INT,
            "liked": BOOL,
            "own": BOOL,
            "held": BOOL,
            "placeholder": BOOL,
            "depth": INT,
            "in_reply_to": nullable(STR),
            "children": {"type": "array", "items": ref("Reply")},
        }
    ),
    "QueueItem": obj(
        {
            "id": INT,
            "post": STR,
            "status": STR,
            "author": STR,
            "body_source": STR,
            "created_at": TIME,
            "held_reason": nullable(STR),
            "open_reports": INT,
        }
    ),
    "Ban": obj(
        {
            "id": INT,
            "user_id": nullable(INT),
            "email": nullable(STR),
            "ip_range": nullable(STR),
            "reason": STR,
            "created_at": TIME,
            "expires_at": nullable(TIME),
            "lifted_at": nullable(TIME),
        }
    ),
    "AuditEntry": obj(
        {
            "id": INT,
            "actor": STR,
            "action": STR,
            "target_type": STR,
            "target_ids": {"type": "array", "items": INT},
            "reason": STR,
            "created_at": TIME,
            "undone": BOOL,
        }
    ),
    "SearchHit": obj(
        {
            "reply_id": nullable(INT),
            "post": STR,
            "post_title": STR,
            "author": STR,
            "at": TIME,
            "snippet_html": STR,
            "status": nullable(STR),
            "deleted": BOOL,
        }
    ),
    "Report": obj({"id": INT, "reason": STR, "note": STR, "created_at": TIME}),
    "Revision": obj({"id": INT, "body_source": STR, "by_author": BOOL, "created_at": TIME}),
    "ModerationItem": obj(
        {
            "reply": ref("QueueItem"),
            "body_html": STR,
            "parent_id": nullable(INT),
            "locked": BOOL,
            "collapsed": BOOL,
            "replies_below": INT,
            "reports": {"type": "array", "items": ref("Report")},
            "revisions": {"type": "array", "items": ref("Revision")},
            "author_history": obj(
                {
                    "approved": INT,
                    "pending": INT,
                    "spam": INT,
                    "trash": INT,
                    "first_seen": nullable(TIME),
                }
            ),
        }
    ),
}


def page_of(name: str, key: str) -> Schema:
    return obj({key: {"type": "array", "items": ref(name)}, "page": INT, "has_next": BOOL})


CATEGORIES = obj({"categories": {"type": "array", "items": ref("Category")}})
POSTS = page_of("Post", "posts")
THREAD = obj(
    {
        "post": ref("Post"),
        "replies": {"type": "array", "items": ref("Reply")},
        "reply_count": INT,
        "sort": {"enum": ["oldest", "newest", "liked"]},
        "page": INT,
        "has_next": BOOL,
    }
)
IN_CONTEXT = obj(
    {"post": ref("Post"), "reply_id": INT, "replies": {"type": "array", "items": ref("Reply")}}
)
CREATED = obj({"id": INT, "status": STR, "page": INT, "url": STR})
LIKE = obj({"reply_id": INT, "liked": BOOL, "count": INT})
DONE = obj({"ok": BOOL}, {"status": STR, "hidden": BOOL, "already_reported": BOOL})

REPLY_IN = obj(
    {"body": BODY},
    {
        "parent_id": nullable(ID),
        "name": {"type": "string", "maxLength": 80},
        "email": {"type": "string", "maxLength": 320},
        "url": {"type": "string", "maxLength": 500},
    },
)
EDIT_IN = obj({"body": BODY})
LIKE_IN = obj({"liked": BOOL})
REPORT_IN = obj(
    {"reason": {"enum": ["spam", "abuse", "harmful", "other"]}},
    {"note": {"type": "string", "maxLength": 1000}},
)

QUEUE = obj(
    {
        "items": {"type": "array", "items": ref("QueueItem")},
        "counts": COUNTS,
        "groups": {"type": "array", "items": obj({"reason": STR, "count": INT})},
        "tab": STR,
        "page": INT,
        "has_next": BOOL,
    }
)
ACT_IN = obj(
    {
        "action": {"enum": ["approve", "keep", "trash", "spam", "not_spam"]},
        "ids": {"type": "array", "items": ID, "minItems": 1, "maxItems": 500},
    },
    {
        "reason": REASON,
        # {"123": "pending"}: the status each reply had when the moderator chose; one another
        # moderator has decided on since is skipped, not overridden.
        "seen": {
            "type": "object",
            "propertyNames": {"pattern": "^[1-9][0-9]{0,17}$"},
            "additionalProperties": {"enum": [status.value for status in ReplyStatus]},
            "maxProperties": 500,
        },
    },
)
ACTED = obj(
    {
        "changed": {"type": "array", "items": INT},
        "skipped": INT,
        "entry_id": nullable(INT),
        "counts": COUNTS,
    }
)
GROUP_IN = obj({"reason": {"type": "string", "minLength": 1, "maxLength": 200}})
ITEM = ref("ModerationItem")
MODERATOR_EDIT_IN = obj({"body": BODY}, {"reason": REASON})
MODERATOR_REPLY_IN = obj({"body": BODY})
MODERATOR_REPLIED = obj(
    {"id": INT, "status": STR, "page": INT, "url": STR, "approved": {"type": "array", "items": INT}}
)
BRANCH_IN = obj(
    {"action": {"enum": ["hold", "trash", "lock", "unlock", "collapse"]}}, {"reason": REASON}
)
ENTRY = ref("AuditEntry")
SEARCH = obj(
    {
        "query": STR,
        "hits": {"type": "array", "items": ref("SearchHit")},
        "total": INT,
        "page": INT,
        "has_next": BOOL,
    }
)
BANS = obj({"bans": {"type": "array", "items": ref("Ban")}})
BAN_IN = obj(
    {},
    {
        "user_id": nullable(ID),
        "email": nullable({"type": "string", "maxLength": 320}),
        "ip_range": nullable({"type": "string", "maxLength": 49}),
        "reason": REASON,
        "days": nullable({"type": "integer", "minimum": 1, "maximum": 3650}),
        "remove_replies": BOOL,
    },
)
BAN = ref("Ban")
LIFT_IN = obj({}, {"reason": REASON})
AUDIT = page_of("AuditEntry", "entries")


def whole(low: int, high: int) -> Schema:
    return {"type": "integer", "minimum": low, "maximum": high}


def number(low: float, high: float) -> Schema:
    return {"type": "number", "minimum": low, "maximum": high}


LINES: Schema = {"type": "array", "items": {"type": "string", "maxLength": 320}, "maxItems": 5000}
# The moderation rules, bounded as the dashboard's rules form bounds them.
RULE_FIELDS: dict[str, Schema] = {
    "hold_all": BOOL,
    "hold_first_time": BOOL,
    "link_limit": whole(0, 100),
    "hold_keywords": LINES,
    "spam_keywords": LINES,
    "spam_emails": LINES,
    "spam_ips": LINES,
    "close_after_days": whole(0, 36500),
    "flood_seconds": whole(0, 3600),
    "flag_threshold": whole(1, 100),
    "spam_honest_percent": number(0.01, 50),
    "spam_hold_percent": number(0.01, 50),
    "spam_min_decisions": whole(0, 100000),
    "spam_threshold": number(0, 1),
    "spam_hold_threshold": number(0, 1),
    "notify_moderators": BOOL,
    "daily_digest": BOOL,
    "edit_window_minutes": whole(0, 10080),
}
RULES = obj({name: {"type": schema["type"]} for name, schema in RULE_FIELDS.items()})
RULES_IN = obj({}, RULE_FIELDS)
ACCOUNT_IN = obj({}, {"role": {"enum": ["admin", "moderator", "member"]}, "can_author": BOOL})
ACCOUNT = obj({"id": INT, "display_name": STR, "role": STR, "can_author": BOOL})
OPENAPI: Schema = {"type": "object"}
