"""Desk pages for posts: the list, the editor (with server-side preview), unpublishing."""

from __future__ import annotations

from flask import Blueprint
from flask import abort
from flask import flash
from flask import jsonify
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.i18n import _
from forum.models import Post
from forum.services import categories as category_service
from forum.services import posts as post_service
from forum.services.desk import DeskTab
from forum.services.desk import desk_page
from forum.text.render import excerpt_of
from forum.text.render import render_article
from forum.web.actor import signed_in_user
from forum.web.desk.forms import ConfirmForm
from forum.web.desk.forms import PostForm
from forum.web.desk.forms import form_data_of
from forum.web.desk.forms import intent_of
from forum.web.desk.presenters import saved_message
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.threads import page_arg

bp = Blueprint("posts", __name__)
PER_PAGE = 50


@bp.get("")
def index() -> ResponseReturnValue:
    try:
        tab = DeskTab(request.args.get("tab", DeskTab.ALL.value))
    except ValueError:
        abort(400, _("Choose the all, drafts, scheduled or published tab."))
    page = desk_page(tab, page_arg(), PER_PAGE)
    return render_template("desk/index.html", desk=page)


@bp.get("/posts/new")
def new() -> ResponseReturnValue:
    form = PostForm(formdata=None, categories=category_service.ordered())
    return _editor(form, None)


@bp.post("/posts/new")
def create() -> ResponseReturnValue:
    return _submit(None)


@bp.get("/posts/<int:post_id>")
def edit(post_id: int) -> ResponseReturnValue:
    post = post_service.get_post(post_id)
    data = form_data_of(post, excerpt_of(post.body_html))
    form = PostForm(formdata=None, data=data, categories=category_service.ordered())
    return _editor(form, post)


@bp.post("/posts/<int:post_id>")
def update(post_id: int) -> ResponseReturnValue:
    return _submit(post_service.get_post(post_id))


@bp.post("/posts/<int:post_id>/unpublish")
def unpublish(post_id: int) -> ResponseReturnValue:
    if not ConfirmForm().validate():
        raise InvalidInput({"form": [_("Your form expired; reload the page and try again.")]})
    post = post_service.unpublish_post(author=signed_in_user(), post_id=post_id)
    flash(_("“%(title)s” is a draft again: readers no longer see it.", title=post.title), "success")
    return redirect(url_for(".edit", post_id=post.id), code=303)


@bp.post("/preview")
def preview() -> ResponseReturnValue:
    """For the editor's script: the body as readers would see it, as JSON."""
    form = PostForm(categories=[])
    if not form.body.validate(form):
        return jsonify(error="; ".join(form.body.errors)), 400
    return jsonify(preview_html=render_article(value(form.body)))


def _submit(post: Post | None) -> ResponseReturnValue:
    """Preview, or save as the pressed button says; errors keep the text on the form."""
    form = PostForm(categories=category_service.ordered())
    action = request.form.get("action")
    if action == "preview":
        valid = form.validate()
        html = render_article(value(form.body)) if valid else None
        return _editor(form, post, preview_html=html, status=200 if valid else 400)
    intent = intent_of(action)
    if intent is None:
        form.form_errors.append(_("Press Save draft, Publish or Schedule."))
    if intent is None or not form.validate():
        return _editor(form, post, status=400)
    data, author = form.to_input(), signed_in_user()
    try:
        if post is None:
            post = post_service.create_post(author=author, data=data, intent=intent)
        else:
            post = post_service.update_post(
                author=author, post_id=post.id, data=data, intent=intent
            )
    except InvalidInput as error:
        apply_errors(form, error)
        return _editor(form, post, status=400)
    flash(saved_message(post), "success")
    return redirect(url_for(".edit", post_id=post.id), code=303)


def _editor(
    form: PostForm, post: Post | None, preview_html: str | None = None, status: int = 200
) -> ResponseReturnValue:
    history = post_service.revisions(post) if post is not None else []
    closed = post_service.closed_reason(post) if post is not None else None
    return render_template(
        "desk/edit.html",
        form=form,
        post=post,
        revisions=history,
        preview_html=preview_html,
        closed=closed,
        unpublish_form=ConfirmForm(formdata=None),
    ), status
