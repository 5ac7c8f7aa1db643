"""Members' thread pages put together from a cached shell (forum/web/caching/shells.py): the
page the full path renders for each kind of member, and every change a member could notice
shown on their next request."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from forum.extensions import db
from forum.models import Notification
from forum.models import NotificationKind
from forum.models import Reply
from forum.models import ReplyStatus
from forum.models import Role
from forum.models import User
from forum.models.base import utcnow
from forum.security.actor import Actor
from forum.services import liking
from forum.services import site_settings
from forum.services.mail import subscriptions
from tests.conftest import EXTERNAL_DATABASE_URL
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.conftest import login_on
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user

_TOKEN = re.compile(r'(name="csrf_token"[^>]*value="|name="csrf-token" content=")[^"]*')
_CACHES = ("REPLY_LIST_CACHE", "REPLY_FORM_CACHE", "PAGE_SHELL_CACHE")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Flask]:
    """An app on a database file (or the external PostgreSQL), so settings and versions are
    remembered between requests as on a server, not read afresh as on an in-memory one."""
    url = EXTERNAL_DATABASE_URL or f"sqlite:///{tmp_path / 'site.sqlite3'}"
    app = make_app(DATABASE_URL=url)
    app.test_client_class = RequestScopedClient
    with database_for(app):
        yield app


@pytest.fixture
def thread(site: Flask) -> dict[str, Any]:
    """Ann's reply, liked by Bob; Bob's reply answering it; a held reply of Carl's."""
    ann, bob = make_user(display_name="Ann"), make_user(display_name="Bob <b>")
    carl = make_user(display_name="Carl")
    post = make_post()
    first = make_reply(post, author=ann, body_source="Ann starts", created_at=utcnow())
    answer = make_reply(post, first, author=bob, body_source="Bob answers")
    for n in range(3):
        make_reply(post, body_source=f"Filler {n}")
    make_reply(post, author=carl, body_source="Carl waits", status=ReplyStatus.PENDING)
    db.session.commit()
    liking.set_like(actor=Actor(user=bob), reply_id=first.id, liked=True)
    return {
        "ann": ann,
        "bob": bob,
        "carl": carl,
        "post": post,
        "first": first.id,
        "answer": answer.id,
    }


def _page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _TOKEN.sub(r"\1", response.get_data(as_text=True))


def _shells(app: Flask) -> list[str]:
    """The keys of the kept shells (the store also keeps the header's rendered links)."""
    entries: dict[str, Any] = app.extensions["porch_page_shell_cache"]._entries
    return [key for key in entries if key.startswith("shell|")]


def _cached_and_full(app: Flask, client: FlaskClient, url: str, flash: bool = False) -> list[str]:
    """The page from a shell miss, from a hit, and with every cache of members' pages off."""
    for name in ("porch_reply_list_cache", "porch_reply_form_cache", "porch_page_shell_cache"):
        app.extensions[name]._entries.clear()
    pages = []
    for caching in (True, True, False):
        if flash:
            with client.session_transaction() as session:
                session["_flashes"] = [("success", "Your reply is up.")]
        app.config.update(dict.fromkeys(_CACHES, caching))
        try:
            pages.append(_page(client, url))
        finally:
            app.config.update(dict.fromkeys(_CACHES, True))
    return pages


def _notify(user: User, reply_id: int, post_id: int) -> None:
    db.session.add(
        Notification(
            recipient_id=user.id, kind=NotificationKind.REPLY, reply_id=reply_id, post_id=post_id
        )
    )
    db.session.commit()


@pytest.mark.parametrize(
    "viewer", ["member", "ann", "bob", "carl", "moderator", "admin", "unread", "flash"]
)
@pytest.mark.parametrize("query", ["", "?sort=newest&page=2"])
def test_page_from_the_shell_is_the_full_paths_for_each_member(
    site: Flask, thread: dict[str, Any], viewer: str, query: str
) -> None:
    # ann: likes given to her; bob: a like of his; carl: a held reply; unread: notifications.
    site.config["REPLIES_PER_PAGE"] = 3
    roles = {"moderator": Role.MODERATOR, "admin": Role.ADMIN}
    user = thread.get(viewer) or make_user(role=roles.get(viewer, Role.MEMBER))
    if viewer == "unread":
        _notify(user, thread["answer"], thread["post"].id)
    client = site.test_client()
    login_on(client, user)
    url = f"/t/{thread['post'].slug}{query}"
    missed, hit, full = _cached_and_full(site, client, url, flash=viewer == "flash")
    assert missed == full
    assert hit == full
    assert 'class="reply depth-' in full
    if viewer == "flash":
        assert "Your reply is up." in full and not _shells(site)  # rendered whole
        assert "Your reply is up." not in _page(client, url)  # shown once, as before
    elif viewer != "carl":  # a held reply of Carl's: his own list, but the shared shell
        assert len(_shells(site)) == 1
    if viewer == "unread":
        assert "data-unread-count>1<" in full


def test_closed_and_empty_threads_from_the_shell(site: Flask) -> None:
    empty, closed = make_post(), make_post(comments_open=False)
    make_reply(closed, body_source="Before it closed")
    client = site.test_client()
    login_on(client, make_user())
    for post in (empty, closed):
        missed, hit, full = _cached_and_full(site, client, f"/t/{post.slug}")
        assert missed == hit == full
    assert len(_shells(site)) == 1  # the closed one; pages with a form show it too


def test_each_members_own_state_shows_on_their_next_request(
    site: Flask, thread: dict[str, Any]
) -> None:
    post, ann = thread["post"], thread["ann"]
    url = f"/t/{post.slug}"
    db.session.query(Notification).update({"read_at": utcnow()})  # Bob's like, told
    db.session.commit()
    client = site.test_client()
    login_on(client, ann)
    before = _page(client, url)
    assert "data-unread-count" not in before
    liking.set_like(actor=Actor(user=ann), reply_id=thread["answer"], liked=True)
    assert _page(client, url).count(">Unlike<") == before.count(">Unlike<") + 1  # her like
    _notify(ann, thread["answer"], post.id)
    assert "data-unread-count>1<" in _page(client, url)  # a notification
    db.session.query(Notification).update({"read_at": utcnow()})
    db.session.commit()
    assert "data-unread-count" not in _page(client, url)  # read elsewhere
    make_reply(post, author=ann, body_source="Ann waits too", status=ReplyStatus.PENDING)
    assert "Ann waits too" in _page(client, url)  # her held reply, to her only
    db.session.get(User, ann.id).display_name = "Annie"
    db.session.commit()
    page = _page(client, url)
    assert 'dir="auto">Annie</a></li>' in page  # her name in the header
    assert "Moderate</a>" not in page
    db.session.get(User, ann.id).role = Role.MODERATOR
    db.session.commit()
    page = _page(client, url)
    assert "Moderate</a>" in page  # a role change: the moderator's links
    assert f'data-edit="{thread["answer"]}"' in page


def test_notify_default_shows_on_the_next_request(site: Flask, thread: dict[str, Any]) -> None:
    """The reply form's 'Notify me' box follows the member's default (read with the member)
    whether it was never set, turned off, or turned on again, and matches the full path."""
    ann = thread["ann"]
    url = f"/t/{thread['post'].slug}"
    client = site.test_client()
    login_on(client, ann)
    ticked = re.compile(r'<input checked[^>]*name="notify_replies"')
    for on in (None, False, True):
        if on is not None:
            subscriptions.set_notify_replies_default(user=db.session.get(User, ann.id), on=on)
        pages = _cached_and_full(site, client, url)
        assert pages[0] == pages[1] == pages[2]
        assert 'name="notify_replies"' in pages[0]
        assert bool(ticked.search(pages[0])) is (on is not False)


def test_settings_change_shows_on_the_next_request(site: Flask, thread: dict[str, Any]) -> None:
    client = site.test_client()
    login_on(client, thread["bob"])
    url = f"/t/{thread['post'].slug}"
    assert "<title>" in _page(client, url) and "Porch by the lake" not in _page(client, url)
    site_settings.store_site_settings(
        replace(site_settings.site_settings(), site_name="Porch by the lake")
    )
    db.session.commit()
    page = _page(client, url)
    assert "· Porch by the lake</title>" in page
    assert ">Porch by the lake</a>" in page  # the header's name too
    rules = site_settings.moderation_settings()
    site_settings.store_moderation_settings(replace(rules, close_after_days=1))
    db.session.commit()
    old = db.session.get(Reply, thread["first"]).post
    old.published_at = utcnow().replace(year=2020)
    db.session.commit()
    assert 'class="comments-closed"' in _page(client, url)  # the rule, read afresh


def _statements_of(site: Flask, client: FlaskClient, url: str) -> list[str]:
    """The SQL statements of one page read, on any of the app's connections."""
    from sqlalchemy import event

    sent: list[str] = []
    with site.app_context():
        engines = [db.engine, site.extensions["porch_page_front"].versions._engine]
    listener = lambda *args: sent.append(args[2])  # noqa: E731
    for engine in set(engines):
        event.listen(engine, "before_cursor_execute", listener)
    try:
        _page(client, url)
    finally:
        for engine in set(engines):
            event.remove(engine, "before_cursor_execute", listener)
    return sent


def test_page_read_sends_no_statement_while_nothing_changed(
    site: Flask, thread: dict[str, Any]
) -> None:
    """The member with their unread count, their likes and own replies, the settings and the
    post are all remembered while nothing is committed; a commit brings the two reads of the
    member's own back (and the post's version with them)."""
    client = site.test_client()
    login_on(client, thread["ann"])
    url = f"/t/{thread['post'].slug}"
    _page(client, url)  # renders the reply list
    _page(client, url)  # reads the viewer's likes and own replies for it
    assert _statements_of(site, client, url) == []
    liking.set_like(actor=Actor(user=thread["carl"]), reply_id=thread["answer"], liked=True)
    selects = _statements_of(site, client, url)
    assert any("session_token" in s for s in selects), selects
    assert any("FROM reply" in s for s in selects), selects


@pytest.mark.skipif(EXTERNAL_DATABASE_URL is None, reason="autocommit reads are PostgreSQL's")
def test_page_read_in_autocommit_leaves_pooled_connections_transactional(
    site: Flask, thread: dict[str, Any]
) -> None:
    from forum.web.caching import remembered

    client = site.test_client()
    login_on(client, thread["ann"])
    with client.session_transaction() as session:  # just after a form: nothing remembered
        session[remembered.SENT_AT] = int(time.time())
    _page(client, f"/t/{thread['post'].slug}")
    pool: Any = db.engine.pool
    held = [db.engine.raw_connection() for _ in range(pool.checkedin())]
    try:
        assert held and not any(c.driver_connection.autocommit for c in held)  # type: ignore[union-attr]
    finally:
        for connection in held:
            connection.close()


def test_post_changes_show_on_the_next_request(site: Flask, thread: dict[str, Any]) -> None:
    """The post comes from a copy remembered between requests: never an older one."""
    from forum.models import Post
    from tests.factories import make_category

    client = site.test_client()
    login_on(client, thread["bob"])
    url = f"/t/{thread['post'].slug}"
    _page(client, url)
    post = db.session.get(Post, thread["post"].id)
    post.title = "A new title"
    db.session.commit()
    assert ">A new title</h1>" in _page(client, url)
    post.category = make_category(name="Gardens")
    db.session.commit()
    assert "<bdi>Gardens</bdi>" in _page(client, url)
    post.category.name = "Orchards"
    db.session.commit()
    assert "<bdi>Orchards</bdi>" in _page(client, url)
    post.comments_open = False
    db.session.commit()
    assert 'class="comments-closed"' in _page(client, url)


def _nothing_heard(site: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    """As if every commit from now on came from another app server whose notice never
    arrives, and remembered copies never lapsed."""
    reader = site.extensions["porch_page_front"].versions
    monkeypatch.setattr(reader, "_change_token", lambda: "nothing heard")
    monkeypatch.setattr(reader, "fresh_seconds", 3600.0)


def test_change_not_yet_heard_of_shows_to_a_member_once_the_copy_lapses(
    site: Flask, thread: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A commit another worker made, whose PostgreSQL notice has not arrived: a member's page,
    like a reader's, shows it once the remembered copies lapse (a second on a server)."""
    from forum.models import Post

    _nothing_heard(site, monkeypatch)
    client = site.test_client()
    login_on(client, thread["ann"])
    url = f"/t/{thread['post'].slug}"
    assert "Bob answers" in _page(client, url)  # the copies are remembered from here on
    post = db.session.get(Post, thread["post"].id)
    post.title = "Retitled elsewhere"
    db.session.get(Reply, thread["answer"]).body_html = "<p>Bob, edited elsewhere</p>"
    db.session.commit()
    site_settings.store_site_settings(
        replace(site_settings.site_settings(), site_name="Porch by the sea")
    )
    db.session.commit()
    site.extensions["porch_page_front"].versions.fresh_seconds = 0.0
    page = _page(client, url)
    assert ">Retitled elsewhere</h1>" in page and "Bob, edited elsewhere" in page
    assert "· Porch by the sea</title>" in page


def test_member_sees_their_own_form_s_change_at_once_though_nothing_was_heard(
    site: Flask, thread: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Their reply was stored by another worker, whose notice has not arrived when the form's
    redirect asks for the page: the page after a form they sent reads everything afresh."""
    _nothing_heard(site, monkeypatch)
    client = site.test_client()
    login_on(client, thread["carl"])
    url = f"/t/{thread['post'].slug}"
    assert "Carl waits" in _page(client, url)  # his held reply; the copies are remembered
    sent = client.post(f"{url}/replies", data={"body": "Carl again"})
    assert sent.status_code in (200, 302, 303)
    assert "Carl again" in _page(client, url)


def test_pages_are_remembered_again_a_few_seconds_after_a_form(
    site: Flask, thread: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from forum.web.caching import remembered

    client = site.test_client()
    login_on(client, thread["bob"])
    url = f"/t/{thread['post'].slug}"
    assert client.post(f"{url}/replies", data={"body": "Bob again"}).status_code < 400
    _page(client, url)
    assert _statements_of(site, client, url) != []  # just after her form: read afresh
    with client.session_transaction() as session:
        session[remembered.SENT_AT] -= 6
    for _ in range(20):  # on PostgreSQL, until the notice of Bob's reply has arrived
        if _statements_of(site, client, url) == []:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("the member's rows were never remembered again")


def test_a_refused_form_or_a_session_less_client_gets_no_note(
    site: Flask, thread: dict[str, Any]
) -> None:
    from forum.web.caching import remembered

    client = site.test_client()
    url = f"/t/{thread['post'].slug}"
    assert client.post(f"{url}/replies", data={"body": ""}).status_code == 400
    with client.session_transaction() as session:
        assert remembered.SENT_AT not in session
