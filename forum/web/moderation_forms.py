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

from forum.i18n import lazy_gettext
from forum.i18n import offered_languages
from forum.services.setup import time_zones
from forum.web.forms import plain_text
from forum.web.forms import strip_whitespace
from forum.web.forms import translated_choices

ACTIONS = {
    "approve": lazy_gettext("Approve"),
    "keep": lazy_gettext("Keep"),
    "trash": lazy_gettext("Trash"),
    "spam": lazy_gettext("Spam"),
    "not_spam": lazy_gettext("Not spam"),
}


class ActOnRepliesForm(FlaskForm):
    ids = SelectMultipleField(lazy_gettext("Replies"), coerce=int, validate_choice=False)
    action = SelectField(
        lazy_gettext("Action"), choices=translated_choices(ACTIONS), validate_choice=False
    )
    single = StringField()  # "approve:123" from a row's own button: act on that row only
    # "123:pending" for each reply on the screen: the status its moderator saw
    seen = SelectMultipleField(validate_choice=False)
    reason = StringField(
        lazy_gettext("Reason"),
        filters=[strip_whitespace],
        validators=[Length(max=500), plain_text],
    )
    next = HiddenField()


class GroupForm(FlaskForm):
    reason = HiddenField(validators=[DataRequired(), plain_text])
    next = HiddenField()


# The reply's moderation page shows the edit, reply, branch and ban forms together: their
# fields named alike get ids of their own, so each label points at its own field.
class EditReplyForm(FlaskForm):
    body = TextAreaField(
        lazy_gettext("Text"),
        id="edit-body",
        validators=[DataRequired(lazy_gettext("The text cannot be empty.")), plain_text],
    )
    reason = StringField(
        lazy_gettext("Why (for the log)"),
        id="edit-reason",
        filters=[strip_whitespace],
        validators=[Length(max=500), plain_text],
    )


class ModeratorReplyForm(FlaskForm):
    body = TextAreaField(
        lazy_gettext("Reply as moderator"),
        id="moderator-reply-body",
        validators=[DataRequired(lazy_gettext("Write a reply.")), plain_text],
    )


class BranchForm(FlaskForm):
    action = SelectField(
        lazy_gettext("Whole branch"),
        choices=translated_choices(
            {
                "hold": lazy_gettext("Hold all"),
                "trash": lazy_gettext("Trash all"),
                "lock": lazy_gettext("Lock"),
                "unlock": lazy_gettext("Unlock"),
                "collapse": lazy_gettext("Collapse"),
            }
        ),
    )
    reason = StringField(
        lazy_gettext("Reason"),
        id="branch-reason",
        filters=[strip_whitespace],
        validators=[Length(max=500), plain_text],
    )


class BanForm(FlaskForm):
    target = SelectField(
        lazy_gettext("Ban"),
        choices=translated_choices(
            {
                "user": lazy_gettext("Account"),
                "email": lazy_gettext("Email"),
                "ip": lazy_gettext("IP address or range"),
            }
        ),
    )
    value = StringField(
        lazy_gettext("Account id, email or IP range"),
        filters=[strip_whitespace],
        validators=[DataRequired(lazy_gettext("Say whom to ban.")), Length(max=320), plain_text],
    )
    reason = StringField(
        lazy_gettext("Reason (shown to them)"),
        id="ban-reason",
        filters=[strip_whitespace],
        validators=[Length(max=500), plain_text],
    )
    days = IntegerField(
        lazy_gettext("For how many days (empty: until lifted)"),
        validators=[Optional(), NumberRange(1, 3650)],
    )
    remove_replies = BooleanField(lazy_gettext("Also trash their replies"))


def kept_when_absent(form: FlaskForm, field: Field) -> None:
    """A rules form that does not send this field (an older page, a script) keeps the setting."""
    if not field.raw_data:
        raise StopValidation()


class RulesForm(FlaskForm):
    hold_all = BooleanField(lazy_gettext("Hold every reply for approval"))
    hold_first_time = BooleanField(
        lazy_gettext("Hold replies from authors with no approved reply yet")
    )
    link_limit = IntegerField(
        lazy_gettext("Hold at this many links (0: off)"),
        validators=[InputRequired(), NumberRange(0, 100)],
    )
    hold_keywords = TextAreaField(
        lazy_gettext("Moderation keywords: hold (one per line)"), validators=[plain_text]
    )
    spam_keywords = TextAreaField(
        lazy_gettext("Blocklist words: straight to spam (one per line)"), validators=[plain_text]
    )
    spam_emails = TextAreaField(
        lazy_gettext("Blocked emails (one per line)"), validators=[plain_text]
    )
    spam_ips = TextAreaField(
        lazy_gettext("Blocked IP addresses or ranges (one per line)"), validators=[plain_text]
    )
    close_after_days = IntegerField(
        lazy_gettext("Close replies on posts older than (days, 0: never)"),
        validators=[InputRequired(), NumberRange(0, 36500)],
    )
    flood_seconds = IntegerField(
        lazy_gettext("Seconds between replies from one author (0: off)"),
        validators=[InputRequired(), NumberRange(0, 3600)],
    )
    flag_threshold = IntegerField(
        lazy_gettext("Reports that hide a reply"), validators=[InputRequired(), NumberRange(1, 100)]
    )
    spam_honest_percent = FloatField(
        lazy_gettext("Largest share of honest replies the filter may send straight to spam (%)"),
        validators=[kept_when_absent, InputRequired(), NumberRange(0.01, 50)],
    )
    spam_hold_percent = FloatField(
        lazy_gettext("Largest share of honest replies the filter may hold for review (%)"),
        validators=[kept_when_absent, InputRequired(), NumberRange(0.01, 50)],
    )
    spam_threshold = FloatField(
        lazy_gettext("Never straight to spam below this score (0: the fitted threshold alone)"),
        validators=[kept_when_absent, InputRequired(), NumberRange(0, 1)],
    )
    spam_hold_threshold = FloatField(
        lazy_gettext("Never held for its score below this score (0: the fitted threshold alone)"),
        validators=[kept_when_absent, InputRequired(), NumberRange(0, 1)],
    )
    spam_min_decisions = IntegerField(
        lazy_gettext(
            "Decisions of each kind (spam, approved) before anything goes straight to spam"
        ),
        validators=[kept_when_absent, InputRequired(), NumberRange(0, 100000)],
    )
    notify_moderators = BooleanField(lazy_gettext("Email moderators when a reply waits"))
    daily_digest = BooleanField(lazy_gettext("Send one daily digest instead"))
    edit_window_minutes = IntegerField(
        lazy_gettext("Authors may edit or delete a reply for (minutes, 0: not at all)"),
        validators=[kept_when_absent, InputRequired(), NumberRange(0, 10080)],
    )


class RoleForm(FlaskForm):
    role = SelectField(
        lazy_gettext("Role"),
        choices=translated_choices(
            {
                "admin": lazy_gettext("Admin"),
                "moderator": lazy_gettext("Moderator"),
                "member": lazy_gettext("Member"),
            }
        ),
    )


class AuthorForm(FlaskForm):
    """Allow (1) or stop (0) a member writing posts at the desk."""

    allowed = HiddenField(validators=[AnyOf(["0", "1"])])


class SiteForm(FlaskForm):
    site_name = StringField(
        lazy_gettext("Site name"),
        filters=[strip_whitespace],
        validators=[DataRequired(), Length(max=80), plain_text],
    )
    time_zone = SelectField(
        lazy_gettext("Time zone"), validate_choice=False
    )  # the service checks the name
    language = SelectField(lazy_gettext("Default language"), validate_choice=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.time_zone.choices = {zone: zone.replace("_", " ") for zone in time_zones()}
        self.language.choices = offered_languages()
