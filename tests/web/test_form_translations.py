"""The writing forms' WTForms messages: the catalogue loaded once per language says what
Flask-WTF's per-request load said."""

from __future__ import annotations

import pytest
from flask import Flask
from flask_wtf.i18n import translations as flask_wtf_translations

from forum.web.forms import ReplyForm

MESSAGES = ["Not a valid choice.", "This field is required.", "Invalid email address."]


@pytest.mark.parametrize("language", ["en", "de", "fr", "es", "ar"])
def test_reply_form_messages_equal_flask_wtf_ones(app: Flask, language: str) -> None:
    headers = {"Accept-Language": language}
    with app.test_request_context("/", method="POST", headers=headers):
        form = ReplyForm(meta={"csrf": False})
        ours = [form.meta.get_translations(form).gettext(m) for m in MESSAGES]
        theirs = [flask_wtf_translations.gettext(m) for m in MESSAGES]
    assert ours == theirs
    if language == "de":
        assert ours[1] != MESSAGES[1]  # really translated, not only equal in English
