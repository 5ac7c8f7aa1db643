"""A site filled with the XSS corpus through Porch's real entry paths, for the browser test.

Everything goes in the way a person or program would put it: the reply form and the JSON API
over HTTP (CSRF on, as in production), the WordPress and Disqus importers, the desk's post and
category forms, the settings form, reports, moderation actions and bans, the embed form, and a
provider sign-in's claims through the code that reads them. Nothing is written to the tables
directly, so what the pages show is what each path's own validation and sanitising let through.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from dataclasses import field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from forum.extensions import db
from forum.models import Category
from forum.models import Identity
from forum.models import Post
from forum.models import Reply
from forum.models import Role
from forum.models import User
from forum.security.signin_flow import _to_profile
from forum.services import accounts
from forum.services import profiles
from forum.services.importing import Options
from forum.services.importing import import_file
from tests.conftest import RequestScopedClient
from tests.conftest import login_on
from tests.factories import set_rules
from tests.security.xss_corpus import Payload
from tests.security.xss_corpus import payloads
from tests.security.xss_corpus import short

PASSWORD = "a long enough password"
EMBED_SITE = "https://blog.example"
HOLD_WORD = "holdthisone"
# Websites offered with guest replies: the form and API must refuse the schemes and keep the
# http(s) ones, whose quotes and brackets then have to stay inside the href.
WEBSITES = [p.text for p in payloads() if p.text.startswith("https://")] + [
    "javascript:__xss_hit(9001)",
    "JaVaScRiPt:__xss_hit(9002)",
    " javascript:__xss_hit(9003)",
    "data:text/html,<script>__xss_hit(9004)</script>",
    "vbscript:msgbox(9005)",
]


# XML 1.0 cannot carry most control characters, so no real export holds them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def escape(text: str) -> str:
    return xml_escape(_NOT_XML.sub("", text))


@dataclass
class Site:
    """What the pages to visit need: addresses, ids, and what each path refused."""

    admin_email: str = "admin@example.org"
    member_email: str = "member@example.org"
    thread_slug: str = ""
    thread_pages: int = 1
    desk_post_ids: list[int] = field(default_factory=list)
    imported_slugs: list[str] = field(default_factory=list)
    category_slugs: list[str] = field(default_factory=list)
    category_ids: list[int] = field(default_factory=list)
    member_id: int = 0
    provider_user_id: int = 0
    reply_ids: list[int] = field(default_factory=list)
    held_ids: list[int] = field(default_factory=list)
    embed_urls: list[str] = field(default_factory=list)
    refused: dict[str, int] = field(default_factory=dict)
    stored: dict[str, int] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)

    def count(self, what: str, response: Any) -> None:
        """Tally a path's answer; refusals keep their first message for the report."""
        ok = response.status_code < 400
        book = self.stored if ok else self.refused
        book[what] = book.get(what, 0) + 1
        if not ok and what not in self.reasons:
            text = response.get_data(as_text=True)
            errors = re.findall(r'class="(?:field|form)-errors[^>]*>(.*?)</(?:ul|div)>', text, re.S)
            self.reasons[what] = " ".join(errors)[:300] or text[-300:]


class Browserless:
    """A test client that sends what a browser on this site would: same-origin, CSRF token."""

    def __init__(self, app: Flask) -> None:
        app.test_client_class = RequestScopedClient
        self.client: FlaskClient = app.test_client()
        self.token: str | None = None

    def sign_in(self, user: User) -> None:
        login_on(self.client, user)
        self.token = None

    def _headers(self) -> dict[str, str]:
        if self.token is None:
            self.token = self.client.get("/session/csrf").get_json()["csrf_token"]
        return {"Sec-Fetch-Site": "same-origin", "X-CSRFToken": self.token}

    def form(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.post(url, data=data, headers=self._headers())

    def json(self, url: str, data: dict[str, Any]) -> Any:
        return self.client.post(url, json=data, headers=self._headers())


def _names() -> itertools.cycle[str]:
    return itertools.cycle([p.text for p in short(80)])


def seed(app: Flask, tmp_path: Path) -> Site:
    """Fill the live app through its entry paths; returns where everything went."""
    site = Site()
    with app.app_context():
        set_rules(
            hold_first_time=False,
            flood_seconds=0,
            link_limit=0,
            hold_keywords=[HOLD_WORD],
            spam_threshold=1.01,
            spam_hold_threshold=1.01,
        )
        admin = accounts.create_user(
            email=site.admin_email,
            display_name="Site Admin",
            password=PASSWORD,
            role=Role.ADMIN,
            min_length=10,
        )
        member = accounts.create_user(
            email=site.member_email,
            display_name="Member",
            password=PASSWORD,
            role=Role.MEMBER,
            min_length=10,
        )
        site.member_id = member.id
        staff, person, guest = Browserless(app), Browserless(app), Browserless(app)
        staff.sign_in(admin)
        person.sign_in(member)
        _desk(staff, site)
        _profile(person, site)
        _provider_claims(app, site)
        _replies(person, guest, site)
        _imports(tmp_path, site)
        _reports_and_moderation(Browserless(app), staff, site)
        _embed(guest, site)
        _mail_triggers(app, staff, guest, site)
        db.session.remove()
    return site


def _desk(staff: Browserless, site: Site) -> None:
    """Categories and posts through the desk's forms; the first post holds the corpus thread."""
    names = _names()
    for _ in range(3):
        response = staff.form("/desk/categories", {"name": next(names), "description": next(names)})
        site.count("category form", response)
    rows = db.session.scalars(select(Category).order_by(Category.id)).all()
    site.category_ids = [row.id for row in rows]
    site.category_slugs = [row.slug for row in rows]
    groups: dict[str, list[Payload]] = {}
    for payload in payloads():
        groups.setdefault(payload.group, []).append(payload)
    for number, members in enumerate(groups.values()):
        data = {
            "title": members[0].text[:150] if len(members[0].text) <= 150 else next(names),
            "body": "\n\n".join(p.text for p in members),
            "excerpt": next(names),
            "series_name": next(names) if number % 3 == 0 else "",
            "series_position": "1" if number % 3 == 0 else "",
            "category_id": str(site.category_ids[number % len(site.category_ids)])
            if site.category_ids
            else "",
            "comments_open": "y",
            "action": "publish",
        }
        response = staff.form("/desk/posts/new", data)
        site.count("desk post form", response)
    site.desk_post_ids = list(db.session.scalars(select(Post.id).order_by(Post.id)))
    thread = db.session.get(Post, site.desk_post_ids[0])
    assert thread is not None, "the desk refused every post"
    site.thread_slug = thread.slug


def _profile(person: Browserless, site: Site) -> None:
    names = _names()
    for _ in range(2):  # the last one stays
        data = {"display_name": next(names), "bio": next(names), "avatar": "generated"}
        response = person.form("/account/settings", data)
        site.count("settings form", response)


def _provider_claims(app: Flask, site: Site) -> None:
    """A provider sign-in whose name and picture claims carry payloads, read as sign-in reads
    them; the member then shows the provider's picture."""
    names = _names()
    for number, picture in enumerate(
        [
            'https://example.org/a.png" onerror="__xss_hit(9101)',
            "javascript:__xss_hit(9102)",
            "data:image/svg+xml,<svg onload=__xss_hit(9103)>",
        ]
    ):
        claims = {
            "sub": f"sub-{number}",
            "name": next(names),
            "email": f"claims{number}@example.org",
            "email_verified": True,
            "picture": picture,
            "profile": "javascript:__xss_hit(9104)",
        }
        signed_in = accounts.sign_in_with_identity(_to_profile("testidp", claims))
        assert signed_in.user is not None
        identity = db.session.scalars(
            select(Identity).where(Identity.user_id == signed_in.user.id)
        ).one()
        if identity.picture_url:
            profiles.update_profile(
                user=signed_in.user,
                display_name=signed_in.user.display_name,
                bio=next(names),
                avatar=str(identity.id),
            )
        site.provider_user_id = site.provider_user_id or signed_in.user.id
    del app


def _replies(person: Browserless, guest: Browserless, site: Site) -> None:
    """Every payload as a reply body, alternately through the form and the API, with payload
    names and websites; the member's own reply gathers answers (notifications, nesting)."""
    url = f"/t/{site.thread_slug}/replies"
    api = f"/api/v1/posts/{site.thread_slug}/replies"
    response = person.form(
        url, {"body": "Answer me, please.", "notify_thread": "y", "notify_posts": "y"}
    )
    site.count("reply form (member)", response)
    anchor = db.session.scalars(select(Reply.id).order_by(Reply.id.desc())).first()
    names, websites = _names(), itertools.cycle(WEBSITES)
    for payload in payloads():
        body = payload.text + (f" {HOLD_WORD}" if payload.number % 40 == 0 else "")
        parent = anchor if payload.group in ("breakouts", "dialogs") else None
        fields = {"body": body, "name": next(names), "email": f"g{payload.number}@example.org"}
        website = next(websites)
        if payload.number % 2:
            response = guest.form(url, {**fields, "url": website, "parent_id": parent or ""})
            path = "reply form"
        else:
            response = guest.json(api, {**fields, "url": website, "parent_id": parent})
            path = "api reply"
        if response.status_code == 400:  # the website was refused: say so, post without it
            site.count(f"{path} website", response)
            if payload.number % 2:
                response = guest.form(url, {**fields, "parent_id": parent or ""})
            else:
                response = guest.json(api, {**fields, "parent_id": parent})
        site.count(path, response)
    for payload in payloads()[:20]:  # the member too: their profile lists their replies
        response = person.form(url, {"body": payload.text})
        site.count("reply form (member)", response)
    replies = db.session.scalars(select(Reply).order_by(Reply.id)).all()
    site.reply_ids = [reply.id for reply in replies]
    site.held_ids = [reply.id for reply in replies if reply.status.value == "pending"]
    top_level = sum(1 for reply in replies if reply.parent_id is None)
    site.thread_pages = max(1, -(-top_level // 50))


def _wxr(corpus: list[Payload]) -> str:
    names, websites = _names(), itertools.cycle(WEBSITES)
    items = []
    for item_number, start in enumerate(range(0, len(corpus), 120), start=1):
        comments = "".join(
            f"""<wp:comment><wp:comment_id>{p.number}</wp:comment_id>
            <wp:comment_author>{escape(next(names))}</wp:comment_author>
            <wp:comment_author_email>w{p.number}@example.org</wp:comment_author_email>
            <wp:comment_author_url>{escape(next(websites))}</wp:comment_author_url>
            <wp:comment_date_gmt>2020-01-02 10:00:00</wp:comment_date_gmt>
            <wp:comment_content>{escape(p.text)}</wp:comment_content>
            <wp:comment_approved>1</wp:comment_approved><wp:comment_type></wp:comment_type>
            <wp:comment_parent>0</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id>
            </wp:comment>"""
            for p in corpus[start : start + 120]
        )
        items.append(
            f"""<item><title>{escape(next(names))}</title>
            <link>{EMBED_SITE}/imported-{item_number}/</link><dc:creator>owner</dc:creator>
            <content:encoded>{escape(corpus[start].text)}</content:encoded>
            <wp:post_id>{item_number}</wp:post_id>
            <wp:post_date_gmt>2020-01-01 12:00:00</wp:post_date_gmt>
            <wp:post_name>imported-{item_number}</wp:post_name><wp:status>publish</wp:status>
            <wp:post_type>post</wp:post_type>{comments}</item>"""
        )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel><title>Blog</title><link>{EMBED_SITE}</link>
<wp:base_blog_url>{EMBED_SITE}</wp:base_blog_url>
<wp:author><wp:author_id>7</wp:author_id><wp:author_login>owner</wp:author_login>
<wp:author_email>owner@blog.example</wp:author_email>
<wp:author_display_name>{escape(short(80)[3].text)}</wp:author_display_name></wp:author>
{"".join(items)}</channel></rss>"""


def _disqus(corpus: list[Payload]) -> str:
    names = _names()
    threads = "".join(
        f"""<thread dsq:id="{n}"><link>{EMBED_SITE}/disqus-{n}/</link>
        <title>{escape(next(names))}</title><createdAt>2019-05-01T10:00:00Z</createdAt></thread>"""
        for n in (1, 2)
    )
    posts = "".join(
        f"""<post dsq:id="{p.number}"><message>{escape(p.text)}</message>
        <createdAt>2019-05-02T10:00:00Z</createdAt><isDeleted>false</isDeleted>
        <isSpam>false</isSpam><author><name>{escape(next(names))}</name>
        <email>d{p.number}@example.org</email><username>{escape(next(names))}</username>
        </author><ipAddress>198.51.100.1</ipAddress><thread dsq:id="{1 + p.number % 2}"/></post>"""
        for p in corpus
    )
    return f"""<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
{threads}{posts}</disqus>"""


def _imports(tmp_path: Path, site: Site) -> None:
    corpus = payloads()
    wxr, dsq = tmp_path / "corpus-wxr.xml", tmp_path / "corpus-disqus.xml"
    wxr.write_text(_wxr(corpus), encoding="utf-8")
    dsq.write_text(_disqus(corpus), encoding="utf-8")
    import_file(kind="wordpress", path=wxr, options=Options())
    import_file(kind="disqus", path=dsq, options=Options())
    imported = db.session.scalars(
        select(Post).where(Post.imported_as.is_not(None)).order_by(Post.id)
    ).all()
    site.imported_slugs = [post.slug for post in imported]
    site.embed_urls = [post.original_url for post in imported if post.original_url]
    site.stored["imported posts"] = len(imported)


def _reports_and_moderation(reader: Browserless, staff: Browserless, site: Site) -> None:
    """Report notes through the API and the report form; moderation reasons and a ban reason
    through the API; a moderator's edit through the dashboard form."""
    names = _names()
    for index, reply_id in enumerate(site.reply_ids[1:25]):
        note = next(names)
        if index % 2:
            response = reader.json(
                f"/api/v1/replies/{reply_id}/reports", {"reason": "other", "note": note}
            )
            site.count("api report", response)
        else:
            response = reader.form(f"/replies/{reply_id}/report", {"reason": "abuse", "note": note})
            site.count("report form", response)
    for action, ids in (("spam", site.reply_ids[30:36]), ("trash", site.reply_ids[36:42])):
        response = staff.json(
            "/api/v1/moderation/actions", {"action": action, "ids": ids, "reason": next(names)}
        )
        site.count("api moderation action", response)
    response = staff.json(
        "/api/v1/moderation/bans", {"email": "g3@example.org", "reason": next(names)}
    )
    site.count("api ban", response)
    for reply_id in site.reply_ids[50:53]:
        response = staff.form(
            f"/mod/replies/{reply_id}/edit",
            {"body": payloads()[reply_id % 50].text, "reason": next(names)},
        )
        site.count("moderator edit form", response)


def _embed(guest: Browserless, site: Site) -> None:
    """A reply through the embed's form, which also makes a thread titled by the host page."""
    names = _names()
    for number, payload in enumerate(payloads()[:6]):
        data = {
            "page_url": f"{EMBED_SITE}/embedded-{number}",
            "page_title": next(names),
            "page_theme": "light",
            "body": payload.text,
            "name": next(names),
            "email": f"e{number}@example.org",
        }
        response = guest.form("/embed/thread", data)
        site.count("embed form", response)
        site.embed_urls.append(data["page_url"])


def _mail_triggers(app: Flask, staff: Browserless, guest: Browserless, site: Site) -> None:
    """What sends the other kinds of mail: a sign-up (verify), a new post for subscribers, a
    held guest reply that asked to hear of its approval, then approved."""
    names = _names()
    response = Browserless(app).form(
        "/account/signup",
        {"display_name": next(names), "email": "signup@example.org", "password": PASSWORD},
    )
    site.count("sign-up form", response)
    corpus = payloads()
    response = staff.form(
        "/desk/posts/new",
        {
            "title": next(names),
            "body": corpus[1].text,
            "excerpt": next(names),
            "comments_open": "y",
            "action": "publish",
        },
    )
    site.count("desk post form", response)
    response = guest.form(
        f"/t/{site.thread_slug}/replies",
        {
            "body": f"{corpus[2].text} {HOLD_WORD}",
            "name": next(names),
            "email": "held@example.org",
            "notify": "y",
        },
    )
    site.count("reply form", response)
    held = db.session.scalars(select(Reply.id).order_by(Reply.id.desc())).first()
    response = staff.json(
        "/api/v1/moderation/actions", {"action": "approve", "ids": [held], "reason": next(names)}
    )
    site.count("api moderation action", response)
