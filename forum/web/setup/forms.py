"""The setup form: the site's choices, then the first admin's account."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import PasswordField
from wtforms import RadioField
from wtforms import SelectField
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import EqualTo
from wtforms.validators import Length

from forum.i18n import lazy_gettext
from forum.services.setup import SiteChoices
from forum.services.setup import time_zones
from forum.web.forms import plain_text
from forum.web.forms import strip_whitespace
from forum.web.forms import translated_choices

START_CHOICES = {
    "empty": lazy_gettext("Start empty"),
    "demo": lazy_gettext("Start with the demo content"),
}


class SetupForm(FlaskForm):
    site_name = StringField(
        lazy_gettext("Site name"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(lazy_gettext("Give the site a name.")),
            Length(max=80),
            plain_text,
        ],
    )
    time_zone = SelectField(
        lazy_gettext("Time zone"), validate_choice=False
    )  # the service checks the name
    start = RadioField(
        lazy_gettext("Content"), choices=translated_choices(START_CHOICES), default="empty"
    )
    display_name = StringField(
        lazy_gettext("Your name"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(lazy_gettext("Give the name to show.")),
            Length(max=80),
            plain_text,
        ],
    )
    email = StringField(
        lazy_gettext("Email"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(lazy_gettext("Enter your email address.")),
            Email(lazy_gettext("That does not look like an email address.")),
            Length(max=320),
            plain_text,
        ],
    )
    password = PasswordField(
        lazy_gettext("Password"), validators=[DataRequired(lazy_gettext("Choose a password."))]
    )
    confirm = PasswordField(
        lazy_gettext("Password again"),
        validators=[
            DataRequired(lazy_gettext("Type the password again.")),
            EqualTo("password", lazy_gettext("The two passwords differ.")),
        ],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = {zone: zone.replace("_", " ") for zone in time_zones()}

    def validate_site(self) -> bool:
        """Only the site's fields, for the sign-in-with-a-provider path (no password there)."""
        names = ("csrf_token", "site_name", "time_zone", "start")  # no csrf_token in some tests
        return all([self._fields[name].validate(self) for name in names if name in self._fields])

    def choices(self) -> SiteChoices:
        return SiteChoices(
            site_name=str(self.site_name.data or ""),
            time_zone=str(self.time_zone.data or ""),
            with_demo=self.start.data == "demo",
        )
