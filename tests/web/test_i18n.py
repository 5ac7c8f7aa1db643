"""Choosing the language: the member's own, else Accept-Language, else the site's default;
<html lang/dir>, dates in the page's language and the site's zone, cached pages per language,
and email in the recipient's language."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import ChoiceLoader
from jinja2 import DictLoader

from forum.extensions import db
from forum.mail import render as mail_render
from forum.models import MailMessage
from forum.models import Role
from forum.models import User
from forum.models.base import utcnow
from forum.services import site_settings
from forum.web import filters
from forum.web.filters import exact_time
from forum.web.filters import long_date
from forum.web.filters import relative_time
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import login_on
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user


def _page(client: FlaskClient, path: str, language: str | None = None) -> str:
    headers = {"Accept-Language": language} if language else {}
    return client.get(path, headers=headers).get_data(as_text=True)


def _set_site_language(language: str) -> None:
    site_settings.store_site_settings(replace(site_settings.site_settings(), language=language))
    db.session.commit()


@pytest.mark.parametrize(
    ("header", "lang", "words"),
    [
        ("de-DE,de;q=0.9,en;q=0.5", "de", "Noch keine Antworten"),
        ("fr-CA", "fr", "Aucune réponse pour l’instant"),
        ("es;q=0.8, xx;q=0.9", "es", "Todavía no hay respuestas"),
        ("pl, en;q=0.3", "en", "No replies yet"),
        ("ja", "en", "No replies yet"),  # nothing offered matches: the site's default
    ],
)
def test_accept_language_picks_among_the_offered_languages(
    client: FlaskClient, header: str, lang: str, words: str
) -> None:
    post = make_post()
    html = _page(client, f"/t/{post.slug}", header)
    assert f'<html lang="{lang}" dir="ltr"' in html
    assert words in html


def test_site_default_language_serves_readers_who_ask_for_none_offered(
    client: FlaskClient,
) -> None:
    post = make_post()
    _set_site_language("fr")
    assert '<html lang="fr"' in _page(client, f"/t/{post.slug}")
    assert '<html lang="fr"' in _page(client, f"/t/{post.slug}", "ja")
    assert '<html lang="de"' in _page(client, f"/t/{post.slug}", "de")  # the reader's wins


def test_admin_sets_the_default_language_on_the_site_settings_page(
    client: FlaskClient, login: Any
) -> None:
    login(make_user(role=Role.ADMIN))
    form = {"site_name": "Porch", "time_zone": "UTC", "language": "es"}
    assert "Default language" in _page(client, "/mod/settings/site")
    assert client.post("/mod/settings/site", data=form).status_code == 303
    assert site_settings.site_settings().language == "es"
    refused = client.post("/mod/settings/site", data={**form, "language": "xx"})
    assert refused.status_code == 400 and site_settings.site_settings().language == "es"


def test_site_page_never_saved_shows_the_sites_name_so_a_language_change_saves(
    app: Flask, client: FlaskClient, login: Any
) -> None:
    """An admin made on the command line has no saved name: the form shows the one in use."""
    login(make_user(role=Role.ADMIN))
    page = _page(client, "/mod/settings/site")
    name = app.config["SITE_NAME"]
    assert re.search(rf'<input id="site_name"[^>]* value="{name}"', page)
    form = {"site_name": name, "time_zone": "UTC", "language": "fr"}  # as the browser sends it
    assert client.post("/mod/settings/site", data=form).status_code == 303
    assert site_settings.site_settings().language == "fr"


def test_member_choice_beats_the_browser_and_follows_them_everywhere(
    client: FlaskClient, login: Any
) -> None:
    member = login(make_user())
    post = make_post()
    response = client.post("/account/settings/language", data={"language": "de"})
    assert response.status_code == 303
    assert db.session.get(User, member.id).locale == "de"  # type: ignore[union-attr]
    page = _page(client, "/account/settings", "fr")
    assert '<html lang="de"' in page and "Deine Sprache ist gespeichert." in page
    assert "Schreib eine Antwort" in _page(client, f"/t/{post.slug}", "en")
    client.post("/account/settings/language", data={"language": ""})  # back to the browser's
    assert '<html lang="fr"' in _page(client, f"/t/{post.slug}", "fr")


def test_member_cannot_choose_a_language_the_site_does_not_offer(
    client: FlaskClient, login: Any
) -> None:
    member = login(make_user())
    response = client.post("/account/settings/language", data={"language": "xx"})
    assert response.status_code == 400
    assert db.session.get(User, member.id).locale is None  # type: ignore[union-attr]


def test_rtl_pseudo_locale_sets_dir_rtl_and_is_offered_only_when_enabled() -> None:
    for enabled, expected in ((True, '<html lang="ar" dir="rtl"'), (False, '<html lang="en"')):
        app = make_app(I18N_PSEUDO_RTL=enabled)
        app.test_client_class = RequestScopedClient
        with database_for(app):
            post = make_post()
            html = _page(app.test_client(), f"/t/{post.slug}", "ar")
            assert expected in html


def test_plural_counts_on_the_thread_page_follow_each_language(client: FlaskClient) -> None:
    post = make_post()
    first = make_reply(post, body_source="Eins")
    make_reply(post, first, body_source="Zwei")
    assert "2 Antworten</span>" in _page(client, f"/t/{post.slug}", "de")
    assert "1 Antwort zeigen" in _page(client, f"/t/{post.slug}", "de")
    assert "2 réponses</span>" in _page(client, f"/t/{post.slug}", "fr")
    assert "Afficher 1 réponse" in _page(client, f"/t/{post.slug}", "fr")


def test_liked_by_uses_plural_forms(app: Flask) -> None:
    from forum.i18n import in_language
    from forum.web.presenters import liked_by_label

    with app.test_request_context():
        assert liked_by_label(1) == "Liked by 1 person"
        assert liked_by_label(2) == "Liked by 2 people"
        assert liked_by_label(1234) == "Liked by 1,234 people"
        with in_language("de"):
            assert liked_by_label(1) == "Gefällt 1 Person"
            assert liked_by_label(1234) == "Gefällt 1.234 Personen"
        with in_language("fr"):
            assert liked_by_label(0) == ""
            assert liked_by_label(1) == "Aimé par 1 personne"
            assert liked_by_label(2) == "Aimé par 2 personnes"


def test_strings_follow_every_change_of_language_within_a_request(app: Flask) -> None:
    """A request remembers its catalogue; a language put in force for a block (an email in its
    recipient's language) and the request's own afterwards are each looked up again."""
    from flask import render_template_string

    from forum.i18n import _
    from forum.i18n import in_language
    from forum.i18n import pgettext

    both = "{{ _('Edit') }} {{ pgettext('verb', 'Reply') }}"
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert _("Edit") == "Bearbeiten"
        assert render_template_string(both) == f"Bearbeiten {pgettext('verb', 'Reply')}"
        with in_language("fr"):
            assert _("Edit") == "Modifier"
            assert render_template_string(both).startswith("Modifier ")
            with in_language("en"):
                assert render_template_string(both) == "Edit Reply"
            assert _("Edit") == "Modifier"
        assert _("Edit") == "Bearbeiten"
        assert render_template_string(both).startswith("Bearbeiten ")
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        assert _("Edit") == "Modifier"  # a new request (and its own g) chooses anew


# ---- Dates and numbers: Babel, in the page's language and the site's time zone -----------------
MOMENT = datetime(2026, 3, 1, 20, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("language", "exact", "day"),
    [
        ("en", "March 2, 2026, 5:30\u202fAM JST", "March 2, 2026"),
        ("de", "2. März 2026, 05:30 JST", "2. März 2026"),
        ("fr", "2 mars 2026, 05:30 JST", "2 mars 2026"),
        ("es", "2 de marzo de 2026, 5:30 JST", "2 de marzo de 2026"),
    ],
)
def test_dates_are_in_the_page_language_and_the_site_time_zone(
    app: Flask, language: str, exact: str, day: str
) -> None:
    site_settings.store_site_settings(
        replace(site_settings.site_settings(), time_zone="Asia/Tokyo")
    )
    db.session.commit()
    with app.test_request_context(headers={"Accept-Language": language}):
        assert exact_time(MOMENT) == exact
        assert long_date(MOMENT) == day  # already the next day in Tokyo


def test_exact_time_is_formatted_once_per_minute_in_a_process_and_says_the_same(
    app: Flask,
) -> None:
    """The queue shows 50 cards' times, a minute's new replies the same one: words name the
    minute, so each minute costs once per process, and says the same in the next request."""
    tokyo = ZoneInfo("Asia/Tokyo")
    filters._EXACT_TIMES.clear()
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert exact_time(MOMENT + timedelta(seconds=5)) == "1. März 2026, 20:30 UTC"
        assert exact_time(MOMENT + timedelta(seconds=59)) == "1. März 2026, 20:30 UTC"
        assert exact_time(MOMENT + timedelta(minutes=1)) == "1. März 2026, 20:31 UTC"
        assert exact_time(MOMENT, tokyo) == "2. März 2026, 05:30 JST"  # its own entry
        assert len(filters._EXACT_TIMES) == 3
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        assert exact_time(MOMENT + timedelta(seconds=5)) == "1 mars 2026, 20:30 UTC"  # next one
    with app.test_request_context(headers={"Accept-Language": "de"}):
        assert exact_time(MOMENT + timedelta(seconds=30)) == "1. März 2026, 20:30 UTC"
        assert exact_time(MOMENT, tokyo) == "2. März 2026, 05:30 JST"
    assert len(filters._EXACT_TIMES) == 4  # the French one added; the German ones kept


@pytest.mark.parametrize(
    ("language", "ago"),
    [
        ("en", "3 months ago"),
        ("de", "vor 3 Monaten"),
        ("fr", "il y a 3 mois"),
        ("es", "hace 3 meses"),
    ],
)
def test_relative_times_are_in_the_page_language(app: Flask, language: str, ago: str) -> None:
    now = datetime(2026, 6, 1, tzinfo=UTC)
    with app.test_request_context(headers={"Accept-Language": language}):
        assert relative_time(datetime(2026, 3, 1, tzinfo=UTC), now) == ago
        assert relative_time(now, now) in {"just now", "gerade eben", "à l’instant", "ahora mismo"}


def test_reply_dates_on_the_thread_page_are_relative_in_the_readers_language(
    client: FlaskClient,
) -> None:
    post = make_post()
    make_reply(post, created_at=utcnow().replace(microsecond=0) - _days(3))
    assert "vor 3 Tagen" in _page(client, f"/t/{post.slug}", "de")
    assert "hace 3 días" in _page(client, f"/t/{post.slug}", "es")


def _days(n: int) -> Any:
    from datetime import timedelta

    return timedelta(days=n, minutes=5)


# ---- Cached anonymous pages vary by language -------------------------------------------------
def test_german_and_english_readers_never_get_each_others_cached_page(
    client: FlaskClient,
) -> None:
    post = make_post()
    make_reply(post, body_source="Hello")
    path = f"/t/{post.slug}"
    german = client.get(path, headers={"Accept-Language": "de"})
    english = client.get(path, headers={"Accept-Language": "en"})
    german_again = client.get(path, headers={"Accept-Language": "de-AT,de;q=0.9"})
    english_again = client.get(path)
    assert german.headers["X-Porch-Cache"] == "miss" and english.headers["X-Porch-Cache"] == "miss"
    assert german_again.headers["X-Porch-Cache"] == "hit"
    assert '<html lang="de"' in german_again.get_data(as_text=True)
    assert '<html lang="en"' in english_again.get_data(as_text=True)
    for response in (german, english, german_again, english_again):
        assert "Accept-Language" in response.headers["Vary"]
    assert german.headers["ETag"] != english.headers["ETag"]


def test_conditional_get_still_answers_304_per_language(client: FlaskClient) -> None:
    post = make_post()
    path = f"/t/{post.slug}"
    german = client.get(path, headers={"Accept-Language": "de"})
    english = client.get(path, headers={"Accept-Language": "en"})
    again = client.get(
        path, headers={"Accept-Language": "de", "If-None-Match": german.headers["ETag"]}
    )
    assert again.status_code == 304
    # An English reader holding the German copy's tag gets the English page, not a 304.
    crossed = client.get(
        path, headers={"Accept-Language": "en", "If-None-Match": german.headers["ETag"]}
    )
    assert crossed.status_code == 200 and crossed.headers["ETag"] == english.headers["ETag"]


def test_reply_fragments_are_kept_per_language(client: FlaskClient, login: Any) -> None:
    login(make_user(locale="de"))
    post = make_post()
    make_reply(post, body_source="Hello")
    assert "Antworten<span" in _page(client, f"/t/{post.slug}")
    client.post("/account/settings/language", data={"language": "fr"})
    html = _page(client, f"/t/{post.slug}")
    assert "Répondre<span" in html and "Antworten<span" not in html


# ---- Email in the recipient's language -----------------------------------------------------
@pytest.fixture
def mail_app() -> Iterator[Flask]:
    """The verify mail's templates replaced by one translated line: this tests the switch of
    language around rendering, whatever the mail templates say."""
    app = make_app()
    probe = DictLoader(
        {
            "mail/verify_email.txt": '{{ _("Confirm your email") }}',
            "mail/verify_email.html": '<p>{{ _("Confirm your email") }}</p>',
        }
    )
    app.jinja_loader = ChoiceLoader([probe, app.jinja_loader])  # type: ignore[assignment, list-item]
    with database_for(app):
        yield app


@pytest.mark.parametrize(
    ("locale", "site", "expected"),
    [
        ("de", "en", "E-Mail-Adresse bestätigen"),
        ("es", "fr", "Confirma tu correo electrónico"),
        (None, "fr", "Confirmez votre adresse e-mail"),  # no choice: the site's language
        (None, "en", "Confirm your email"),
    ],
)
def test_email_is_written_in_the_recipients_language(
    mail_app: Flask, locale: str | None, site: str, expected: str
) -> None:
    _set_site_language(site)
    user = make_user(locale=locale)
    message = MailMessage(
        kind="verify_email",
        to_address=user.email or "",
        data={"uid": user.id},
        message_id="<probe@example.org>",
        next_attempt_at=utcnow(),
    )
    with mail_app.test_request_context(headers={"Accept-Language": "pl"}):
        _subject, text, html = mail_render.render(message)
    assert text == expected and expected in html


def test_language_choice_is_on_the_settings_page(client: FlaskClient) -> None:
    login_on(client, make_user())
    html = _page(client, "/account/settings")
    assert 'name="language"' in html
    for name in ("English", "Deutsch", "Français", "Español"):
        assert f">{name}</option>" in html
