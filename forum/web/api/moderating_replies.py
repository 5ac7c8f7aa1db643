"""Moderators on one reply: edit it (the old text kept), answer it, act on its whole branch."""

from __future__ import annotations

from flask import jsonify
from flask.typing import ResponseReturnValue

from forum.services.moderation import actions
from forum.services.moderation import branches
from forum.services.moderation import queue
from forum.web.api import schemas
from forum.web.api.auth import api_actor
from forum.web.api.blueprint import moderator_route
from forum.web.api.body import json_body
from forum.web.api.moderating import moderator
from forum.web.api.presenters import audit_json
from forum.web.api.presenters import item_json
from forum.web.api.writing import created_json


@moderator_route(
    "/moderation/replies/<int:reply_id>",
    "PATCH",
    summary="Edit any reply; the earlier text is kept as a revision and the reason logged",
    response=schemas.ITEM,
    body=schemas.MODERATOR_EDIT_IN,
)
def moderator_edit(reply_id: int) -> ResponseReturnValue:
    data = json_body()
    actions.edit_reply(
        moderator=moderator(), reply_id=reply_id, body=data["body"], reason=data.get("reason", "")
    )
    return jsonify(item_json(queue.item_detail(reply_id)))


@moderator_route(
    "/moderation/replies/<int:reply_id>/replies",
    "POST",
    summary="Answer a reply as a moderator (a held reply is approved first)",
    status=201,
    response=schemas.MODERATOR_REPLIED,
    body=schemas.MODERATOR_REPLY_IN,
)
def moderator_reply(reply_id: int) -> ResponseReturnValue:
    posted = actions.reply_as_moderator(
        moderator=moderator(), actor=api_actor(), parent_id=reply_id, body=json_body()["body"]
    )
    answer = {**created_json(posted.answer), "approved": [r.id for r in posted.approved]}
    return jsonify(answer), 201


@moderator_route(
    "/moderation/replies/<int:reply_id>/branch",
    "POST",
    summary="Hold, trash, lock, unlock or collapse a reply with everything below it",
    response=schemas.ENTRY,
    body=schemas.BRANCH_IN,
)
def moderate_branch(reply_id: int) -> ResponseReturnValue:
    data = json_body()
    entry = branches.moderate_branch(
        moderator=moderator(),
        reply_id=reply_id,
        action=data["action"],
        reason=data.get("reason", ""),
    )
    return jsonify(audit_json(entry, undone=False))
