"""Flask-WTF forms for accounts, sign-in and settings."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField
from wtforms import PasswordField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import EqualTo
from wtforms.validators import Length

from forum.i18n import _
from forum.i18n import lazy_gettext
from forum.i18n import offered_languages
from forum.web.forms import plain_text
from forum.web.forms import strip_whitespace

_EMAIL = [
    DataRequired(lazy_gettext("Enter your email address.")),
    Email(lazy_gettext("That does not look like an email address.")),
    Length(max=320),
    plain_text,
]


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""


class SignInForm(FlaskForm):
    email = StringField(lazy_gettext("Email"), filters=[strip_whitespace], validators=_EMAIL)
    password = PasswordField(
        lazy_gettext("Password"), validators=[DataRequired(lazy_gettext("Enter your password."))]
    )
    next = HiddenField()


class SignUpForm(FlaskForm):
    display_name = StringField(
        lazy_gettext("Name shown with your replies"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(lazy_gettext("Choose a name to show.")),
            Length(max=80),
            plain_text,
        ],
    )
    email = StringField(lazy_gettext("Email"), filters=[strip_whitespace], validators=_EMAIL)
    password = PasswordField(
        lazy_gettext("Password"), validators=[DataRequired(lazy_gettext("Choose a password."))]
    )
    next = HiddenField()


class ResetRequestForm(FlaskForm):
    email = StringField(lazy_gettext("Email"), filters=[strip_whitespace], validators=_EMAIL)


class NewPasswordForm(FlaskForm):
    password = PasswordField(
        lazy_gettext("New password"), validators=[DataRequired(lazy_gettext("Choose a password."))]
    )
    confirm = PasswordField(
        lazy_gettext("New password again"),
        validators=[EqualTo("password", lazy_gettext("The two passwords differ."))],
    )


class SettingsForm(FlaskForm):
    display_name = StringField(
        lazy_gettext("Display name"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(lazy_gettext("Choose a name to show.")),
            Length(max=80),
            plain_text,
        ],
    )
    bio = TextAreaField(
        lazy_gettext("About you"),
        filters=[strip_whitespace],
        validators=[Length(max=1000), plain_text],
    )
    avatar = RadioField(lazy_gettext("Picture"), validate_choice=True)


class LanguageForm(FlaskForm):
    """The member's language for pages and email; "" follows the browser, then the site."""

    language = SelectField(lazy_gettext("Language"), validate_choice=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Short enough for a phone's select; the field's note says what happens without a choice.
        browser = ("", _("As my browser asks"))
        self.language.choices = [browser, *offered_languages().items()]


class DeleteAccountForm(FlaskForm):
    confirm = StringField(
        lazy_gettext('Type "delete my account" to confirm'),
        filters=[strip_whitespace],
        validators=[DataRequired(lazy_gettext("Type the words to confirm."))],
    )

    def validate_confirm(self, field: StringField) -> None:
        from wtforms.validators import ValidationError

        # The English words always work; the page's language may word them its own way.
        accepted = {"delete my account", _("delete my account").lower()}
        if (field.data or "").lower() not in accepted:
            raise ValidationError(_('Type exactly "delete my account".'))
