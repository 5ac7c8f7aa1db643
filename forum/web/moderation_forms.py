"""Flask-WTF forms for the moderator dashboard."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import Field
from wtforms import FloatField
from wtforms import HiddenField
from wtforms import IntegerField
from wtforms import SelectField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import TextAreaField
from wtforms.validators import AnyOf
from wtforms.validators import DataRequired
from wtforms.validators import InputRequired
from wtforms.validators import Length
from wtforms.validators import NumberRange
from wtforms.validators import Optional
from wtforms.validators import StopValidation

from forum.services.setup import time_zones
from forum.web.forms import plain_text
from forum.web.forms import strip_whitespace

ACTIONS = {
    "approve": "Approve",
    "keep": "Keep",
    "trash": "Trash",
    "spam": "Spam",
    "not_spam": "Not spam",
}


class ActOnRepliesForm(FlaskForm):
    ids = SelectMultipleField("Replies", coerce=int, validate_choice=False)
    action = SelectField("Action", choices=ACTIONS, validate_choice=False)
    single = StringField()  # "approve:123" from a row's own button: act on that row only
    reason = StringField(
        "Reason", filters=[strip_whitespace], validators=[Length(max=500), plain_text]
    )
    next = HiddenField()


class GroupForm(FlaskForm):
    reason = HiddenField(validators=[DataRequired(), plain_text])
    next = HiddenField()


class EditReplyForm(FlaskForm):
    body = TextAreaField("Text", validators=[DataRequired("The text cannot be empty."), plain_text])
    reason = StringField(
        "Why (for the log)", filters=[strip_whitespace], validators=[Length(max=500), plain_text]
    )


class ModeratorReplyForm(FlaskForm):
    body = TextAreaField(
        "Reply as moderator", validators=[DataRequired("Write a reply."), plain_text]
    )


class BranchForm(FlaskForm):
    action = SelectField(
        "Whole branch",
        choices={
            "hold": "Hold all",
            "trash": "Trash all",
            "lock": "Lock",
            "unlock": "Unlock",
            "collapse": "Collapse",
        },
    )
    reason = StringField(
        "Reason", filters=[strip_whitespace], validators=[Length(max=500), plain_text]
    )


class BanForm(FlaskForm):
    target = SelectField(
        "Ban", choices={"user": "Account", "email": "Email", "ip": "IP address or range"}
    )
    value = StringField(
        "Account id, email or IP range",
        filters=[strip_whitespace],
        validators=[DataRequired("Say whom to ban."), Length(max=320), plain_text],
    )
    reason = StringField(
        "Reason (shown to them)",
        filters=[strip_whitespace],
        validators=[Length(max=500), plain_text],
    )
    days = IntegerField(
        "For how many days (empty: until lifted)", validators=[Optional(), NumberRange(1, 3650)]
    )
    remove_replies = BooleanField("Also trash their replies")


def kept_when_absent(form: FlaskForm, field: Field) -> None:
    """A rules form that does not send this field (an older page, a script) keeps the setting."""
    if not field.raw_data:
        raise StopValidation()


class RulesForm(FlaskForm):
    hold_all = BooleanField("Hold every reply for approval")
    hold_first_time = BooleanField("Hold replies from authors with no approved reply yet")
    link_limit = IntegerField(
        "Hold at this many links (0: off)", validators=[InputRequired(), NumberRange(0, 100)]
    )
    hold_keywords = TextAreaField(
        "Moderation keywords: hold (one per line)", validators=[plain_text]
    )
    spam_keywords = TextAreaField(
        "Blocklist words: straight to spam (one per line)", validators=[plain_text]
    )
    spam_emails = TextAreaField("Blocked emails (one per line)", validators=[plain_text])
    spam_ips = TextAreaField(
        "Blocked IP addresses or ranges (one per line)", validators=[plain_text]
    )
    close_after_days = IntegerField(
        "Close replies on posts older than (days, 0: never)",
        validators=[InputRequired(), NumberRange(0, 36500)],
    )
    flood_seconds = IntegerField(
        "Seconds between replies from one author (0: off)",
        validators=[InputRequired(), NumberRange(0, 3600)],
    )
    flag_threshold = IntegerField(
        "Reports that hide a reply", validators=[InputRequired(), NumberRange(1, 100)]
    )
    spam_honest_percent = FloatField(
        "Largest share of honest replies the filter may send straight to spam (%)",
        validators=[kept_when_absent, InputRequired(), NumberRange(0.01, 50)],
    )
    spam_hold_percent = FloatField(
        "Largest share of honest replies the filter may hold for review (%)",
        validators=[kept_when_absent, InputRequired(), NumberRange(0.01, 50)],
    )
    spam_threshold = FloatField(
        "Never straight to spam below this score (0: the fitted threshold alone)",
        validators=[kept_when_absent, InputRequired(), NumberRange(0, 1)],
    )
    spam_hold_threshold = FloatField(
        "Never held for its score below this score (0: the fitted threshold alone)",
        validators=[kept_when_absent, InputRequired(), NumberRange(0, 1)],
    )
    spam_min_decisions = IntegerField(
        "Decisions of each kind (spam, approved) before anything goes straight to spam",
        validators=[kept_when_absent, InputRequired(), NumberRange(0, 100000)],
    )
    notify_moderators = BooleanField("Email moderators when a reply waits")
    daily_digest = BooleanField("Send one daily digest instead")
    edit_window_minutes = IntegerField(
        "Authors may edit or delete a reply for (minutes, 0: not at all)",
        validators=[kept_when_absent, InputRequired(), NumberRange(0, 10080)],
    )


class RoleForm(FlaskForm):
    role = SelectField(
        "Role", choices={"admin": "Admin", "moderator": "Moderator", "member": "Member"}
    )


class AuthorForm(FlaskForm):
    """Allow (1) or stop (0) a member writing posts at the desk."""

    allowed = HiddenField(validators=[AnyOf(["0", "1"])])


class SiteForm(FlaskForm):
    site_name = StringField(
        "Site name",
        filters=[strip_whitespace],
        validators=[DataRequired(), Length(max=80), plain_text],
    )
    time_zone = SelectField("Time zone", validate_choice=False)  # the service checks the name

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = {zone: zone.replace("_", " ") for zone in time_zones()}
