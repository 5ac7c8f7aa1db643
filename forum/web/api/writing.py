"""Writing: post a reply, edit or delete one's own within the window, like, report."""

from __future__ import annotations

from flask import current_app
from flask import jsonify
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.extensions import limiter
from forum.i18n import _
from forum.models import FlagReason
from forum.models import Reply
from forum.services import authoring
from forum.services import liking
from forum.services import placement
from forum.services import threads
from forum.services.moderation import flags
from forum.services.replying import GuestDetails
from forum.services.replying import post_reply
from forum.web.api import schemas
from forum.web.api.auth import api_actor
from forum.web.api.blueprint import route
from forum.web.api.body import json_body
from forum.web.presenters import reply_anchor_url


def _limit(name: str) -> str:
    return str(current_app.config[name])


def _guest(data: dict[str, str]) -> GuestDetails:
    name, email = data.get("name", "").strip(), data.get("email", "").strip()
    errors = {}
    if not name:
        errors["name"] = [_("Please give your name, or sign in.")]
    if "@" not in email.strip("@"):
        errors["email"] = [_("Please give a valid email address, or sign in.")]
    if errors:
        raise InvalidInput(errors)
    return GuestDetails(name=name, email=email, url=data.get("url") or None)


def created_json(reply: Reply) -> dict[str, object]:
    page = placement.page_of_reply(reply, api_actor(), current_app.config["REPLIES_PER_PAGE"])
    return {
        "id": reply.id,
        "status": reply.status.value,
        "page": page,
        "url": reply_anchor_url(reply, page),
    }


@route(
    "/posts/<slug>/replies",
    "POST",
    summary="Post a reply (guest or member); moderation decides whether it is shown",
    scope="write",
    status=201,
    response=schemas.CREATED,
    body=schemas.REPLY_IN,
)
@limiter.limit(lambda: _limit("POST_RATE_LIMIT"))
def create_reply(slug: str) -> ResponseReturnValue:
    post = threads.get_post(slug)
    data = json_body()
    actor = api_actor(create_guest_token=True)
    reply = post_reply(
        actor=actor,
        post=post,
        parent_id=data.get("parent_id"),
        body=data["body"],
        guest=None if actor.user else _guest(data),
    )
    return jsonify(created_json(reply)), 201


@route(
    "/replies/<int:reply_id>",
    "PATCH",
    summary="Edit one's reply within the window",
    scope="write",
    response=schemas.CREATED,
    body=schemas.EDIT_IN,
)
def edit_reply(reply_id: int) -> ResponseReturnValue:
    body = json_body()["body"]
    reply = authoring.edit_own_reply(actor=api_actor(), reply_id=reply_id, body=body)
    return jsonify(created_json(reply))


@route(
    "/replies/<int:reply_id>",
    "DELETE",
    summary="Delete one's reply within the window",
    scope="write",
    response=schemas.DONE,
)
def delete_reply(reply_id: int) -> ResponseReturnValue:
    outcome = authoring.delete_own_reply(actor=api_actor(), reply_id=reply_id)
    return jsonify(ok=True, status=outcome.value)


@route(
    "/replies/<int:reply_id>/like",
    "PUT",
    summary="Like or unlike a reply",
    scope="write",
    response=schemas.LIKE,
    body=schemas.LIKE_IN,
)
@limiter.limit(lambda: _limit("LIKE_RATE_LIMIT"))
def like(reply_id: int) -> ResponseReturnValue:
    liked = bool(json_body()["liked"])
    state = liking.set_like(
        actor=api_actor(create_guest_token=True), reply_id=reply_id, liked=liked
    )
    return jsonify(reply_id=state.reply_id, liked=state.liked, count=state.count)


@route(
    "/replies/<int:reply_id>/reports",
    "POST",
    summary="Report a reply to moderators",
    scope="write",
    status=201,
    response=schemas.DONE,
    body=schemas.REPORT_IN,
)
@limiter.limit(lambda: _limit("REPORT_RATE_LIMIT"))
def report(reply_id: int) -> ResponseReturnValue:
    data = json_body()
    result = flags.flag_reply(
        actor=api_actor(create_guest_token=True),
        reply_id=reply_id,
        reason=FlagReason(data["reason"]),
        note=data.get("note", ""),
    )
    return jsonify(ok=True, hidden=result.hidden, already_reported=result.already_reported), 201
