"""Flask-WTF forms of the desk: the post editor, categories, and one-button actions."""

from __future__ import annotations

from datetime import UTC
from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import DateTimeLocalField
from wtforms import IntegerField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import Length
from wtforms.validators import Optional

from forum.i18n import _
from forum.i18n import lazy_gettext
from forum.models import Category
from forum.models import Post
from forum.models import PostStatus
from forum.services.posts import BODY_MAX
from forum.services.posts import Intent
from forum.services.posts import PostInput
from forum.web.forms import plain_text
from forum.web.forms import strip_whitespace
from forum.web.ids import parse_id

NO_CATEGORY = ""
WHOLE_NUMBER = lazy_gettext("Enter a whole number, or leave it blank.")


class WholeNumberField(IntegerField):
    """An optional whole number, with a plain-words message for anything else."""

    def process_formdata(self, valuelist: list[object]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError as error:
            raise ValueError(WHOLE_NUMBER) from error


class PostForm(FlaskForm):
    """Write or edit a post; the button pressed (`action`) says what becomes of it."""

    title = StringField(lazy_gettext("Title"), filters=[strip_whitespace], validators=[plain_text])
    slug = StringField(
        lazy_gettext("Address (slug)"), filters=[strip_whitespace], validators=[plain_text]
    )
    category_id = SelectField(lazy_gettext("Category"), choices=[], validate_choice=False)
    series_name = StringField(
        lazy_gettext("Series"), filters=[strip_whitespace], validators=[plain_text]
    )
    series_position = WholeNumberField(lazy_gettext("Part"), validators=[Optional()])
    series_total = WholeNumberField(lazy_gettext("of"), validators=[Optional()])
    body = TextAreaField(
        lazy_gettext("Text (Markdown)"),
        validators=[plain_text, Length(max=BODY_MAX, message=lazy_gettext("Too long."))],
    )
    excerpt = TextAreaField(
        lazy_gettext("Excerpt"), filters=[strip_whitespace], validators=[plain_text]
    )
    publish_at = DateTimeLocalField(
        lazy_gettext("Publish at (UTC)"),
        format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
        validators=[Optional()],
    )
    comments_open = BooleanField(lazy_gettext("Comments open"), default=True)
    close_after_days = WholeNumberField(
        lazy_gettext("Close comments after (days)"), validators=[Optional()]
    )
    pinned = BooleanField(lazy_gettext("Pin to the top of the index"))

    def __init__(self, *args: object, categories: list[Category], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.category_id.choices = [(NO_CATEGORY, _("No category"))] + [
            (str(c.id), c.name) for c in categories
        ]

    def to_input(self) -> PostInput:
        when = self.publish_at.data
        return PostInput(
            title=self.title.data or "",
            slug=self.slug.data or "",
            category_id=parse_id(self.category_id.data),
            series_name=self.series_name.data or "",
            series_position=self.series_position.data,
            series_total=self.series_total.data,
            body=self.body.data or "",
            excerpt=self.excerpt.data or "",
            publish_at=when.replace(tzinfo=UTC) if when is not None else None,
            comments_open=bool(self.comments_open.data),
            close_after_days=self.close_after_days.data,
            pinned=bool(self.pinned.data),
        )


def form_data_of(post: Post, derived_excerpt: str) -> dict[str, object]:
    """The editor's fields for a stored post; a derived excerpt stays blank so it keeps up."""
    # A draft's date is only worth showing when it is a plan for later.
    planned = post.status is PostStatus.PUBLISHED or post.published_at > datetime.now(UTC)
    return {
        "title": post.title,
        "slug": post.slug,
        "category_id": str(post.category_id) if post.category_id else NO_CATEGORY,
        "series_name": post.series_name or "",
        "series_position": post.series_position,
        "series_total": post.series_total,
        "body": post.body_source,
        "excerpt": "" if post.excerpt == derived_excerpt else post.excerpt,
        "publish_at": post.published_at.replace(tzinfo=None, second=0, microsecond=0)
        if planned
        else None,
        "comments_open": post.comments_open,
        "close_after_days": post.close_after_days,
        "pinned": post.pinned,
    }


def intent_of(action: str | None) -> Intent | None:
    """The editor's buttons: Save draft, Publish / Update, Schedule (Preview is handled apart)."""
    try:
        return Intent(action or "")
    except ValueError:
        return None


class CategoryForm(FlaskForm):
    name = StringField(lazy_gettext("Name"), filters=[strip_whitespace], validators=[plain_text])
    slug = StringField(
        lazy_gettext("Address (slug)"), filters=[strip_whitespace], validators=[plain_text]
    )
    description = TextAreaField(
        lazy_gettext("Description"), filters=[strip_whitespace], validators=[plain_text]
    )


class DeleteCategoryForm(FlaskForm):
    """Where the posts of a category being deleted go: another category, or none."""

    move_to = RadioField(lazy_gettext("Move its posts to"), choices=[], validate_choice=False)

    def __init__(self, *args: object, others: list[Category], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.move_to.choices = [(NO_CATEGORY, _("No category"))] + [
            (str(c.id), c.name) for c in others
        ]


class MoveForm(FlaskForm):
    direction = StringField(validators=[Optional()])


class ConfirmForm(FlaskForm):
    """A one-button action: the CSRF token is all it carries."""
