"""Writing: post a reply (with preview) and like or unlike one."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask.typing import ResponseReturnValue

from forum import observability
from forum.errors import DomainError
from forum.errors import InvalidInput
from forum.errors import NotFound
from forum.errors import wants_json
from forum.extensions import db
from forum.extensions import limiter
from forum.i18n import _
from forum.models import Post
from forum.models import Reply
from forum.models import ReplyStatus
from forum.services import liking
from forum.services import placement
from forum.services import posts
from forum.services import threads
from forum.services.replying import GuestDetails
from forum.services.replying import post_reply
from forum.text.render import render
from forum.web.actor import current_actor
from forum.web.actor import remember_guest
from forum.web.caching.origin import tokenless_when_same_origin
from forum.web.forms import LikeForm
from forum.web.forms import ReplyForm
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.ids import parse_id
from forum.web.presenters import like_json
from forum.web.presenters import render_nodes
from forum.web.presenters import reply_anchor_url
from forum.web.reply_form import new_reply_form
from forum.web.reply_form import prepare

bp = Blueprint("replies", __name__)


def _post_rate_limit() -> str:
    return str(current_app.config["POST_RATE_LIMIT"])


@bp.get("/t/<slug>/reply")
def new(slug: str) -> ResponseReturnValue:
    """The reply form on its own page: the no-JavaScript way to answer a reply."""
    post = threads.get_post(slug)
    parent_id = request.args.get("parent_id", "")
    parent = _parent_or_none(post, parent_id)
    if parent_id and parent is None:
        raise NotFound(_("The reply you want to answer does not exist on this post."))
    form = new_reply_form(parent.id if parent else None)
    closed = posts.closed_reason(post)
    return render_template("replies/new.html", post=post, parent=parent, form=form, closed=closed)


@bp.post("/t/<slug>/replies")
@tokenless_when_same_origin
@limiter.limit(_post_rate_limit)
def create(slug: str) -> ResponseReturnValue:
    post = threads.get_post(slug)
    form = prepare(ReplyForm())
    if form.wants_preview:  # a preview needs only the text, not the guest's details yet
        return _preview(post, form) if form.validate_body_only() else _form_errors(post, form)
    if not form.validate():
        return _form_errors(post, form)
    reader = _PlaceReader(for_script=wants_json())
    try:
        reply = post_reply(
            actor=current_actor(create_guest_token=True),
            post=post,
            parent_id=form.parent_reply_id,
            body=value(form.body),
            guest=_guest_details(form),
            notify_author=bool(form.notify.data),
            subscribe=form.subscriptions(),
            read_back=reader,
        )
    except InvalidInput as error:
        apply_errors(form, error)
        return _form_errors(post, form)
    except DomainError as error:  # refused (ban, lock, flood): say why, keep the text
        form.form_errors.append(error.message)
        return _form_errors(post, form, error.status_code, error.message)
    observability.record_reply_posted()
    if form.for_guest:
        remember_guest(value(form.name), value(form.email), form.url.data, form.remember.data)
    return _created(reply, reader)


@dataclass
class _PlaceReader:
    """Where the answer sends the reader, or the script shows the reply: read as post_reply
    stores it (on PostgreSQL in the same transaction)."""

    for_script: bool
    page: int = 1
    place: placement.NewReplyPlace | None = None

    def __call__(self, reply: Reply) -> None:
        actor, config = current_actor(), current_app.config
        per_page = config["REPLIES_PER_PAGE"]
        if self.for_script:
            self.place = placement.placed_new_reply(reply, actor, per_page, config["MAX_DEPTH"])
        else:
            self.page = placement.page_of_reply(reply, actor, per_page)


def _like_rate_limit() -> str:
    return str(current_app.config["LIKE_RATE_LIMIT"])


@bp.post("/replies/<int:reply_id>/like")
@tokenless_when_same_origin
@limiter.limit(_like_rate_limit)
def like(reply_id: int) -> ResponseReturnValue:
    form = LikeForm()
    if not form.validate():
        raise InvalidInput({"liked": [_("liked must be 0 or 1.")]})
    state = liking.set_like(
        actor=current_actor(create_guest_token=True),
        reply_id=reply_id,
        liked=form.liked.data == "1",
    )
    if wants_json():
        return jsonify(like_json(state))
    reply = db.session.get(Reply, reply_id)
    assert reply is not None  # nosec B101  # set_like raised NotFound otherwise
    page = placement.page_of_reply(reply, current_actor(), current_app.config["REPLIES_PER_PAGE"])
    return redirect(reply_anchor_url(reply, page), code=303)


def _guest_details(form: ReplyForm) -> GuestDetails | None:
    if not form.for_guest:
        return None
    return GuestDetails(name=value(form.name), email=value(form.email), url=form.url.data or None)


def _parent_or_none(post: Post, raw_id: str) -> Reply | None:
    """The reply being answered, shown above the form; None when there is no such reply here."""
    reply_id = parse_id(raw_id)
    parent = db.session.get(Reply, reply_id) if reply_id is not None else None
    if parent is None or parent.post_id != post.id:
        return None
    # Only replies that can be answered: never quote a held, removed or deleted one.
    return parent if parent.status is ReplyStatus.APPROVED and parent.deleted_at is None else None


def _form_errors(
    post: Post,
    form: ReplyForm,
    status: int = 400,
    message: str = _("Please correct the highlighted fields."),
) -> ResponseReturnValue:
    """Back to the form with the text kept and each message beside its field."""
    if wants_json():
        errors = {name: list(msgs) for name, msgs in form.errors.items() if name}
        return jsonify(error=message, errors=errors or None), status
    parent = _parent_or_none(post, form.parent_id.data or "")
    return render_template("replies/new.html", post=post, parent=parent, form=form), status


def _preview(post: Post, form: ReplyForm) -> ResponseReturnValue:
    preview_html = render(value(form.body))
    if wants_json():
        return jsonify(preview_html=preview_html)
    parent = _parent_or_none(post, form.parent_id.data or "")
    return render_template(
        "replies/new.html", post=post, parent=parent, form=form, preview_html=preview_html
    )


def _created(reply: Reply, reader: _PlaceReader) -> ResponseReturnValue:
    """Off to the reply's anchor; or, for scripts, the reply as the page will show it."""
    place = reader.place
    if place is None:
        return redirect(reply_anchor_url(reply, reader.page), code=303)
    return jsonify(
        id=reply.id,
        url=reply_anchor_url(reply, place.page),
        page=place.page,
        status=reply.status.value,
        path=reply.path,
        reply_count=place.reply_count,
        html=render_nodes([place.node], post=reply.post, link_page=place.page),
    ), 201
