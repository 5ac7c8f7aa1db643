"""Desk pages for categories: list with create, edit, move up or down, delete with a choice."""

from __future__ import annotations

from flask import Blueprint
from flask import flash
from flask import redirect
from flask import render_template
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.i18n import _
from forum.i18n import ngettext
from forum.models import Category
from forum.services import categories as service
from forum.services.categories import CategoryInput
from forum.web.actor import signed_in_user
from forum.web.desk.forms import CategoryForm
from forum.web.desk.forms import DeleteCategoryForm
from forum.web.desk.forms import MoveForm
from forum.web.forms import apply_errors
from forum.web.forms import value
from forum.web.ids import parse_id

bp = Blueprint("categories", __name__, url_prefix="/categories")


def _input(form: CategoryForm) -> CategoryInput:
    return CategoryInput(
        name=value(form.name), slug=value(form.slug), description=value(form.description)
    )


def _list(form: CategoryForm, status: int = 200) -> ResponseReturnValue:
    rows = service.with_post_counts()
    return render_template(
        "desk/categories.html", rows=rows, form=form, move_form=MoveForm(formdata=None)
    ), status


@bp.get("")
def index() -> ResponseReturnValue:
    return _list(CategoryForm(formdata=None))


@bp.post("")
def create() -> ResponseReturnValue:
    form = CategoryForm()
    try:
        if not form.validate():
            return _list(form, 400)
        category = service.create_category(author=signed_in_user(), data=_input(form))
    except InvalidInput as error:
        apply_errors(form, error)
        return _list(form, 400)
    flash(_("Category “%(name)s” created.", name=category.name), "success")
    return redirect(url_for(".index"), code=303)


def _editor(form: CategoryForm, category: Category, status: int = 200) -> ResponseReturnValue:
    return render_template("desk/category_edit.html", form=form, category=category), status


@bp.get("/<int:category_id>")
def edit(category_id: int) -> ResponseReturnValue:
    category = service.get_category(category_id)
    return _editor(CategoryForm(formdata=None, obj=category), category)


@bp.post("/<int:category_id>")
def update(category_id: int) -> ResponseReturnValue:
    category, form = service.get_category(category_id), CategoryForm()
    try:
        if not form.validate():
            return _editor(form, category, 400)
        service.update_category(author=signed_in_user(), category_id=category_id, data=_input(form))
    except InvalidInput as error:
        apply_errors(form, error)
        return _editor(form, category, 400)
    flash(_("Category “%(name)s” saved.", name=category.name), "success")
    return redirect(url_for(".index"), code=303)


@bp.post("/<int:category_id>/move")
def move(category_id: int) -> ResponseReturnValue:
    form = MoveForm()
    if not form.validate() or form.direction.data not in ("up", "down"):
        raise InvalidInput({"direction": [_("Move a category up or down.")]})
    step = -1 if form.direction.data == "up" else 1
    category = service.move_category(author=signed_in_user(), category_id=category_id, step=step)
    if form.direction.data == "up":
        flash(_("Moved “%(name)s” up.", name=category.name), "success")
    else:
        flash(_("Moved “%(name)s” down.", name=category.name), "success")
    return redirect(url_for(".index", _anchor=f"category-{category.id}"), code=303)


def _delete_page(form: DeleteCategoryForm, category: Category, status: int) -> ResponseReturnValue:
    count = next((r.post_count for r in service.with_post_counts() if r.category == category), 0)
    return render_template(
        "desk/category_delete.html", form=form, category=category, post_count=count
    ), status


@bp.get("/<int:category_id>/delete")
def confirm_delete(category_id: int) -> ResponseReturnValue:
    category = service.get_category(category_id)
    others = [c for c in service.ordered() if c.id != category.id]
    form = DeleteCategoryForm(formdata=None, others=others, data={"move_to": ""})
    return _delete_page(form, category, 200)


@bp.post("/<int:category_id>/delete")
def delete(category_id: int) -> ResponseReturnValue:
    category = service.get_category(category_id)
    others = [c for c in service.ordered() if c.id != category.id]
    form, name = DeleteCategoryForm(others=others), category.name
    raw = form.move_to.data or ""
    try:
        if not form.validate() or (raw and parse_id(raw) is None):
            raise InvalidInput({"move_to": [_("Choose another category, or no category.")]})
        moved = service.delete_category(
            author=signed_in_user(), category_id=category_id, move_to_id=parse_id(raw)
        )
    except InvalidInput as error:
        apply_errors(form, error)
        return _delete_page(form, category, 400)
    flash(
        ngettext(
            "Category “%(name)s” deleted; %(num)d post moved.",
            "Category “%(name)s” deleted; %(num)d posts moved.",
            moved,
            name=name,
        ),
        "success",
    )
    return redirect(url_for(".index"), code=303)
