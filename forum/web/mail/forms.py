"""Forms of the mail pages: subscription delivery, the replies default, a posts subscription."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField
from wtforms import SelectField

MODE_CHOICES = {
    "each": "Mail for each reply",
    "daily": "A daily digest",
}


class ModeForm(FlaskForm):
    mode = SelectField("Delivery", choices=MODE_CHOICES)


class PreferenceForm(FlaskForm):
    notify_replies = BooleanField("Tick 'Notify me of replies to my comment' on my replies")


class PostsSubscriptionForm(FlaskForm):
    """New posts: site-wide ('site'), a category ('c:<id>') or a series ('s:<name>')."""

    target = SelectField("Notify me of new posts in", choices={"site": "Every post"})
    mode = SelectField("Delivery", choices=MODE_CHOICES)
