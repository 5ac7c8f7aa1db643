"""Forms of the author's edit and delete pages."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import Field
from wtforms import TextAreaField
from wtforms.validators import ValidationError

from forum.i18n import _
from forum.i18n import lazy_gettext
from forum.web.forms import plain_text
from forum.web.forms import too_long


class EditOwnReplyForm(FlaskForm):
    body = TextAreaField(lazy_gettext("Your reply"), validators=[plain_text])

    def validate_body(self, field: Field) -> None:
        limit = current_app.config["BODY_MAX_LENGTH"]
        if not (field.data or "").strip():
            raise ValidationError(_("Please write something, or delete the reply instead."))
        if len(field.data) > limit:
            raise ValidationError(too_long(len(field.data), limit))


class DeleteOwnReplyForm(FlaskForm):
    """Only the CSRF token: the confirmation page's button."""
