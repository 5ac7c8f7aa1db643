"""Flask-WTF forms, one per POST endpoint; every one carries a CSRF token."""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Mapping
from typing import Any

from flask import current_app
from flask_babel import format_number
from flask_babel.speaklater import LazyString
from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import Field
from wtforms import HiddenField
from wtforms import RadioField
from wtforms import StringField
from wtforms import SubmitField
from wtforms import TextAreaField
from wtforms.validators import Email
from wtforms.validators import ValidationError

from forum.errors import InvalidInput
from forum.i18n import _
from forum.i18n import get_locale
from forum.i18n import lazy_gettext
from forum.i18n import ngettext
from forum.i18n import wtforms_translations
from forum.models import FlagReason
from forum.services.moderation.flags import NOTE_MAX_LENGTH
from forum.text.sanitize import is_web_address
from forum.web.ids import parse_id

# Control characters other than tab and newlines; U+FFFD marks bytes that were not UTF-8.
_BAD_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


def plain_text(form: FlaskForm, field: Field) -> None:
    if field.data and _BAD_CHARACTERS.search(field.data):
        raise ValidationError(
            _(
                "This contains characters we cannot store "
                "(control characters or text that is not UTF-8)."
            )
        )


def value(field: Field) -> str:
    """A validated text field's value as a string (WTForms types data as optional)."""
    return str(field.data or "")


def translated_choices(choices: Mapping[Any, Any]) -> Callable[[], dict[str, str]]:
    """WTForms choices whose labels are lazy strings: translated each time a form is built
    (WTForms wants plain strings, and a label fixed at import would stay in English)."""
    return lambda: {str(key): str(label) for key, label in choices.items()}


def too_long(length: int, limit: int) -> str:
    """The error for a reply over the length limit, with both numbers in the reader's format."""
    return _(
        "Your reply is %(length)s characters long; the limit is %(limit)s.",
        length=format_number(length),
        limit=format_number(limit),
    )


def strip_whitespace(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class WritingForm(FlaskForm):
    """A FlaskForm whose WTForms messages come from a catalogue loaded once per language:
    Flask-WTF reads and parses it from disk on every request (a fifth of a post's form)."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form: Any) -> Any:
            if not current_app.config.get("WTF_I18N_ENABLED", True):
                return super().get_translations(form)
            return wtforms_translations(str(get_locale() or "en"))


class ReplyForm(WritingForm):
    """Leave a reply. Name and email are asked of guests only (set `for_guest`)."""

    body = TextAreaField(lazy_gettext("Reply"), validators=[plain_text])
    name = StringField(lazy_gettext("Name"), filters=[strip_whitespace], validators=[plain_text])
    email = StringField(lazy_gettext("Email"), filters=[strip_whitespace], validators=[plain_text])
    url = StringField(
        lazy_gettext("Website"),
        filters=[strip_whitespace],
        validators=[plain_text],
    )
    parent_id = HiddenField()
    remember = BooleanField(lazy_gettext("Remember me on this browser"))
    notify = BooleanField(lazy_gettext("Email me when my reply is approved"))
    notify_replies = BooleanField(lazy_gettext("Notify me of replies to my comment"))
    notify_thread = BooleanField(lazy_gettext("Notify me of new replies in this thread"))
    notify_posts = BooleanField(lazy_gettext("Notify me of new posts"))
    preview = SubmitField(lazy_gettext("Preview"))
    submit = SubmitField(lazy_gettext("Post reply"))

    for_guest = True

    def subscriptions(self) -> frozenset[str]:
        """The mail the writer asked for: replies to this comment, the thread, new posts."""
        boxes = {"reply": self.notify_replies, "thread": self.notify_thread}
        boxes["posts"] = self.notify_posts
        return frozenset(name for name, box in boxes.items() if box.data)

    def validate_body(self, field: Field) -> None:
        limit = current_app.config["BODY_MAX_LENGTH"]
        text = (field.data or "").strip()
        if not text:
            raise ValidationError(_("Please write something before posting."))
        if len(field.data) > limit:
            raise ValidationError(too_long(len(field.data), limit))

    def validate_name(self, field: Field) -> None:
        limit = current_app.config["NAME_MAX_LENGTH"]
        if self.for_guest and not field.data:
            raise ValidationError(_("Please give a name to show with your reply."))
        if field.data and len(field.data) > limit:
            raise ValidationError(
                ngettext(
                    "Names can be at most %(num)d character long.",
                    "Names can be at most %(num)d characters long.",
                    limit,
                )
            )

    def validate_email(self, field: Field) -> None:
        if self.for_guest and not field.data:
            raise ValidationError(_("Please give your email address; it is never shown."))
        if field.data and len(field.data) > 320:
            raise ValidationError(_("That email address is too long."))
        if field.data:
            Email(message=_("That does not look like an email address."))(self, field)  # type: ignore[arg-type]

    def validate_url(self, field: Field) -> None:
        if field.data and not is_web_address(field.data):
            raise ValidationError(_("Enter a web address starting with http:// or https://."))
        if field.data and len(field.data) > 500:
            raise ValidationError(_("That web address is too long."))

    def validate_parent_id(self, field: Field) -> None:
        if field.data and parse_id(field.data) is None:
            raise ValidationError(_("The reply you are answering is not valid."))

    def validate_body_only(self) -> bool:
        """Check the text alone (for previews), and CSRF, leaving the guest's details unjudged."""
        csrf_ok = not self.meta.csrf or self.csrf_token.validate(self)
        body_ok = self.body.validate(self, extra_validators=[type(self).validate_body])
        return bool(csrf_ok and body_ok)

    @property
    def parent_reply_id(self) -> int | None:
        return parse_id(self.parent_id.data)

    @property
    def wants_preview(self) -> bool:
        return bool(self.preview.data)


class LikeForm(WritingForm):
    """Like (liked=1) or unlike (liked=0) a reply."""

    liked = HiddenField(default="1")

    def validate_liked(self, field: Field) -> None:
        if field.data not in ("0", "1"):
            raise ValidationError(_("liked must be 0 or 1."))


REPORT_REASONS: dict[FlagReason, LazyString] = {
    FlagReason.SPAM: lazy_gettext("Spam"),
    FlagReason.ABUSE: lazy_gettext("Abuse or harassment"),
    FlagReason.HARMFUL: lazy_gettext("Harmful advice"),
    FlagReason.OTHER: lazy_gettext("Something else"),
}


class ReportForm(WritingForm):
    """Report a reply to the moderators: a reason and an optional note."""

    reason = RadioField(
        lazy_gettext("Why are you reporting this reply?"),
        choices=translated_choices(
            {reason.value: label for reason, label in REPORT_REASONS.items()}
        ),
        validate_choice=False,  # validate_reason says it in plain words instead
    )
    note = TextAreaField(
        lazy_gettext("Anything the moderators should know? (optional)"),
        filters=[strip_whitespace],
        validators=[plain_text],
    )

    def validate_reason(self, field: Field) -> None:
        if field.data not in {reason.value for reason in REPORT_REASONS}:
            raise ValidationError(_("Please choose why you are reporting this reply."))

    def validate_note(self, field: Field) -> None:
        if field.data and len(field.data) > NOTE_MAX_LENGTH:
            raise ValidationError(
                _(
                    "Your note is %(length)s characters long; the limit is %(limit)s.",
                    length=format_number(len(field.data)),
                    limit=format_number(NOTE_MAX_LENGTH),
                )
            )

    @property
    def flag_reason(self) -> FlagReason:
        return FlagReason(self.reason.data)


def apply_errors(form: FlaskForm, error: InvalidInput) -> None:
    """Put a service's field errors beside the fields; the rest above the form."""
    for name, messages in error.errors.items():
        field = getattr(form, name, None)
        if isinstance(field, Field) and not isinstance(field, HiddenField):
            field.errors = [*field.errors, *messages]
        else:
            form.form_errors.extend(messages)
