"""The WordPress export: WXR 1.2 that parses, with every post, category, author and reply."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
from flask import Flask

from forum.extensions import db
from forum.models import PostStatus
from forum.models import Reply
from forum.models.base import utcnow
from forum.services.exporting.wxr import WxrSite
from forum.services.exporting.wxr import login_name
from forum.services.exporting.wxr import write_wxr
from tests.export_site import TRICKY
from tests.export_site import Site
from tests.export_site import fill_site
from tests.factories import make_post
from tests.factories import make_reply

WP = "{http://wordpress.org/export/1.2/}"
CONTENT = "{http://purl.org/rss/1.0/modules/content/}"
DC = "{http://purl.org/dc/elements/1.1/}"
SITE = WxrSite(
    "Ü site", "https://talk.example.org/", lambda slug: f"https://talk.example.org/t/{slug}"
)


def export_wxr() -> str:
    out = io.StringIO()
    write_wxr(db.engine, out, SITE)
    return out.getvalue()


def channel() -> ET.Element:
    root = ET.fromstring(export_wxr().encode("utf-8"))
    assert root.tag == "rss" and root.get("version") == "2.0"
    found = root.find("channel")
    assert found is not None
    return found


def comments_of(item: ET.Element) -> dict[int, ET.Element]:
    return {int(c.findtext(f"{WP}comment_id", "")): c for c in item.iter(f"{WP}comment")}


@pytest.fixture
def site(app: Flask) -> Site:
    return fill_site()


def test_wxr_channel_has_version_site_authors_and_categories(site: Site) -> None:
    head = channel()
    assert head.findtext(f"{WP}wxr_version") == "1.2"
    assert head.findtext(f"{WP}base_site_url") == "https://talk.example.org"
    assert head.findtext("title") == "Ü site"
    authors = {a.findtext(f"{WP}author_id"): a for a in head.iter(f"{WP}author")}
    assert set(authors) == {str(site.admin_id), str(site.member_id)}
    member = authors[str(site.member_id)]
    assert member.findtext(f"{WP}author_display_name") == "Member ]]> One"
    assert member.findtext(f"{WP}author_login") == f"member-one-{site.member_id}"
    (category,) = head.iter(f"{WP}category")
    assert category.findtext(f"{WP}cat_name") == "Santé & soins"
    assert category.findtext(f"{WP}category_description") == TRICKY


def test_wxr_items_carry_posts_with_their_category_and_html(site: Site) -> None:
    items = channel().findall("item")
    assert len(items) == 2
    post = next(i for i in items if i.findtext(f"{WP}post_id") == str(site.post_id))
    assert post.findtext(f"{WP}post_type") == "post" and post.findtext(f"{WP}status") == "publish"
    assert post.findtext("title") == f"Post {TRICKY}"
    assert post.findtext(f"{DC}creator") == login_name(site.admin_id, "Ädmin")
    assert "]]&gt;" in post.findtext(f"{CONTENT}encoded", "")  # the post's HTML, intact
    category = post.find("category")
    assert category is not None and category.get("domain") == "category"
    assert category.get("nicename", "").startswith("category-") and category.text == "Santé & soins"
    assert post.findtext(f"{WP}post_name", "").startswith("post-")


def test_wxr_comments_keep_parents_statuses_and_authors(site: Site) -> None:
    post = next(
        i for i in channel().findall("item") if i.findtext(f"{WP}post_id") == str(site.post_id)
    )
    comments = comments_of(post)
    ids = site.reply_ids
    assert set(comments) == set(ids.values())
    approved = {i: c.findtext(f"{WP}comment_approved") for i, c in comments.items()}
    assert approved[ids["top"]] == "1" and approved[ids["guest"]] == "0"
    assert approved[ids["spam"]] == "spam" and approved[ids["trash"]] == "trash"
    parents = {i: int(c.findtext(f"{WP}comment_parent", "")) for i, c in comments.items()}
    assert parents[ids["top"]] == 0 and parents[ids["answer"]] == ids["top"]
    assert parents[ids["older_child"]] == ids["younger_parent"]
    top, guest = comments[ids["top"]], comments[ids["guest"]]
    assert top.findtext(f"{WP}comment_user_id") == str(site.member_id)
    assert top.findtext(f"{WP}comment_author") == "Member ]]> One"
    assert "日本語, a ]]&gt; and" in top.findtext(f"{WP}comment_content", "")
    assert guest.findtext(f"{WP}comment_user_id") == "0"
    assert guest.findtext(f"{WP}comment_author_url") == "https://ex.org/"
    assert guest.findtext(f"{WP}comment_author_IP") == "203.0.113.9"
    assert guest.findtext(f"{WP}comment_date_gmt", "").count(":") == 2


def test_wxr_marks_a_post_published_later_as_future(app: Flask) -> None:
    make_post(published_at=utcnow() + timedelta(days=2))
    (item,) = channel().findall("item")
    assert item.findtext(f"{WP}status") == "future"


def test_wxr_keeps_drafts_closed_comments_and_pins(app: Flask) -> None:
    make_post(status=PostStatus.DRAFT, comments_open=False, pinned=True)
    (item,) = channel().findall("item")
    assert item.findtext(f"{WP}status") == "draft"
    assert item.findtext(f"{WP}comment_status") == "closed"
    assert item.findtext(f"{WP}is_sticky") == "1"


def test_wxr_survives_cdata_terminators_and_characters_xml_cannot_hold(app: Flask) -> None:
    post = make_post(title="]]> title \x01\x1b end")
    make_reply(post, body_source="x", body_html="<p>a ]]> b ]]]]> c \x0c d 😀</p>")
    text = export_wxr()
    assert "\x01" not in text and "\x0c" not in text
    (item,) = channel().findall("item")
    assert item.findtext("title") == "]]> title  end"
    (comment,) = item.iter(f"{WP}comment")
    assert comment.findtext(f"{WP}comment_content") == "<p>a ]]> b ]]]]> c  d 😀</p>"


def test_wxr_of_a_deleted_reply_is_trash(app: Flask) -> None:
    post = make_post()
    reply = make_reply(post)
    db.session.get(Reply, reply.id).deleted_at = reply.created_at  # type: ignore[union-attr]
    db.session.commit()
    (item,) = channel().findall("item")
    (comment,) = item.iter(f"{WP}comment")
    assert comment.findtext(f"{WP}comment_approved") == "trash"
