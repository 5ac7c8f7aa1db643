"""Forms of the mail pages: subscription delivery, the replies default, a posts subscription."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import SelectField

from forum.i18n import lazy_gettext
from forum.web.forms import translated_choices

MODE_CHOICES = {
    "each": lazy_gettext("Mail for each reply"),
    "daily": lazy_gettext("A daily digest"),
}


class ModeForm(FlaskForm):
    mode = SelectField(lazy_gettext("Delivery"), choices=translated_choices(MODE_CHOICES))


class PreferenceForm(FlaskForm):
    notify_replies = BooleanField(
        lazy_gettext("Tick 'Notify me of replies to my comment' on my replies")
    )


class PostsSubscriptionForm(FlaskForm):
    """New posts: site-wide ('site'), a category ('c:<id>') or a series ('s:<name>')."""

    target = SelectField(
        lazy_gettext("Notify me of new posts in"),
        choices=translated_choices({"site": lazy_gettext("Every post")}),
    )
    mode = SelectField(lazy_gettext("Delivery"), choices=translated_choices(MODE_CHOICES))
