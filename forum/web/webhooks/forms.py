"""Forms of the Webhooks page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms.widgets import CheckboxInput
from wtforms.widgets import ListWidget

from forum.i18n import lazy_gettext
from forum.services.webhooks.events import EVENTS
from forum.web.forms import plain_text


class EventsField(SelectMultipleField):
    """One checkbox per event."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class WebhookForm(FlaskForm):
    url = StringField(lazy_gettext("Address (URL)"), validators=[plain_text])
    events = EventsField(
        lazy_gettext("Send these events"),
        choices=lambda: {key: f"{key}: {label}" for key, label in EVENTS.items()},
    )


class ActionForm(FlaskForm):
    """Delete and ping buttons: only the CSRF token."""
