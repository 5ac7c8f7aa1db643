"""The upload form of the Import page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import BooleanField
from wtforms import SelectField

from forum.i18n import lazy_gettext
from forum.web.forms import translated_choices

SOURCES = {
    "wordpress": lazy_gettext("WordPress export (WXR, .xml)"),
    "disqus": lazy_gettext("Disqus export (.xml)"),
}


class ImportForm(FlaskForm):
    source = SelectField(lazy_gettext("Export from"), choices=translated_choices(SOURCES))
    file = FileField(
        lazy_gettext("Export file"),
        validators=[FileRequired(lazy_gettext("Choose the export file to upload."))],
    )
    with_pingbacks = BooleanField(lazy_gettext("Keep pingbacks and trackbacks as replies"))
