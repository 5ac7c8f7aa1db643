"""Reasons Porch writes in the audit log are stored in English and read in the reader's language."""

from __future__ import annotations

from flask import Flask
from flask_babel import force_locale

from forum.web.audit_words import audit_reason


def test_automatic_reasons_are_told_in_the_readers_language(app: Flask) -> None:
    with app.test_request_context(), force_locale("de"):
        assert audit_reason("hidden after 3 reports") == "nach 3 Meldungen ausgeblendet"
        assert audit_reason("hidden after 1 reports") == "nach 1 Meldung ausgeblendet"
        assert audit_reason("approved to answer it") == "freigegeben, um darauf zu antworten"
        assert audit_reason("undo #12 (approve)").startswith("Rückgängig #12 (")
    with app.test_request_context(), force_locale("fr"):
        assert audit_reason("hidden after 2 reports") == "masquée après 2 signalements"


def test_a_moderators_own_words_are_shown_as_typed(app: Flask) -> None:
    with app.test_request_context(), force_locale("de"):
        assert audit_reason("spam wave from one address") == "spam wave from one address"
        assert audit_reason("hidden after lunch") == "hidden after lunch"
