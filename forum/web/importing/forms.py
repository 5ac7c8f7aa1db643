"""The upload form of the Import page."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from flask_wtf.file import FileRequired
from wtforms import BooleanField
from wtforms import SelectField

SOURCES = {"wordpress": "WordPress export (WXR, .xml)", "disqus": "Disqus export (.xml)"}


class ImportForm(FlaskForm):
    source = SelectField("Export from", choices=SOURCES)
    file = FileField("Export file", validators=[FileRequired("Choose the export file to upload.")])
    with_pingbacks = BooleanField("Keep pingbacks and trackbacks as replies")
