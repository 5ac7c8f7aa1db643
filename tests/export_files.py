"""Export files written by tests (WordPress WXR, Disqus XML), and the real ones in ../shared."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from pathlib import Path

import pytest

SHARED_FIXTURES = Path(__file__).resolve().parents[1] / ".." / "shared" / "fixtures"


def shared_fixture(relative: str) -> Path:
    """A real export from ../shared/fixtures; the test is skipped on machines without it."""
    path = SHARED_FIXTURES / relative
    if not path.is_file():
        pytest.skip(f"{path} is not on this machine")
    return path


@dataclass
class Comment:
    id: int
    parent: int = 0
    approved: str = "1"
    kind: str = ""
    author: str = "Reader"
    email: str = "reader@example.org"
    content: str = "A comment."
    user_id: int = 0
    date: str = "2020-01-02 10:00:00"


@dataclass
class Item:
    id: int
    title: str
    slug: str
    comments: list[Comment] = field(default_factory=list)
    kind: str = "post"
    status: str = "publish"
    content: str = "<p>The post.</p>"
    category: str = "news"
    creator: str = "owner"

    @property
    def link(self) -> str:
        return f"https://blog.example/{self.slug}/"


def _comment_xml(c: Comment) -> str:
    return f"""
    <wp:comment>
      <wp:comment_id>{c.id}</wp:comment_id>
      <wp:comment_author><![CDATA[{c.author}]]></wp:comment_author>
      <wp:comment_author_email>{c.email}</wp:comment_author_email>
      <wp:comment_author_url>https://reader.example/</wp:comment_author_url>
      <wp:comment_author_IP>192.0.2.{c.id % 250}</wp:comment_author_IP>
      <wp:comment_date>{c.date}</wp:comment_date>
      <wp:comment_date_gmt>{c.date}</wp:comment_date_gmt>
      <wp:comment_content><![CDATA[{c.content}]]></wp:comment_content>
      <wp:comment_approved>{c.approved}</wp:comment_approved>
      <wp:comment_type>{c.kind}</wp:comment_type>
      <wp:comment_parent>{c.parent}</wp:comment_parent>
      <wp:comment_user_id>{c.user_id}</wp:comment_user_id>
    </wp:comment>"""


def _item_xml(item: Item) -> str:
    comments = "".join(_comment_xml(c) for c in item.comments)
    return f"""
  <item>
    <title>{item.title}</title>
    <link>{item.link}</link>
    <pubDate>Wed, 01 Jan 2020 12:00:00 +0000</pubDate>
    <dc:creator>{item.creator}</dc:creator>
    <guid isPermaLink="false">https://blog.example/?p={item.id}</guid>
    <content:encoded><![CDATA[{item.content}]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>{item.id}</wp:post_id>
    <wp:post_date_gmt>2020-01-01 12:00:00</wp:post_date_gmt>
    <wp:post_name>{item.slug}</wp:post_name>
    <wp:status>{item.status}</wp:status>
    <wp:post_type>{item.kind}</wp:post_type>
    <wp:post_password></wp:post_password>
    <category domain="category" nicename="{item.category}"
      ><![CDATA[{item.category.title()}]]></category>
    {comments}
  </item>"""


def wxr(items: list[Item], version: str = "1.2", scheme: str = "http") -> str:
    namespace = f"{scheme}://wordpress.org/export/{version}/"
    body = "".join(_item_xml(item) for item in items)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="{namespace}excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="{namespace}">
<channel>
  <title>Blog</title>
  <link>https://blog.example</link>
  <wp:wxr_version>{version}</wp:wxr_version>
  <wp:base_blog_url>https://blog.example</wp:base_blog_url>
  <wp:author>
    <wp:author_id>7</wp:author_id>
    <wp:author_login><![CDATA[owner]]></wp:author_login>
    <wp:author_email><![CDATA[Owner@Blog.example]]></wp:author_email>
    <wp:author_display_name><![CDATA[The Owner]]></wp:author_display_name>
  </wp:author>
  {body}
</channel>
</rss>
"""


def disqus(
    threads: list[tuple[int, str, str]], posts: list[tuple[int, int, int | None, str]]
) -> str:
    """threads: (id, link, title); posts: (id, thread id, parent id, flags 'spam'/'deleted'/'')."""
    thread_xml = "".join(
        f"""<thread dsq:id="{tid}"><link>{link}</link><title>{title}</title>
        <createdAt>2019-05-01T10:00:00Z</createdAt></thread>"""
        for tid, link, title in threads
    )
    post_xml = "".join(
        f"""<post dsq:id="{pid}"><message><![CDATA[<p>Disqus comment {pid}</p>]]></message>
        <createdAt>2019-05-02T10:00:{pid % 60:02d}Z</createdAt>
        <isDeleted>{"true" if flag == "deleted" else "false"}</isDeleted>
        <isSpam>{"true" if flag == "spam" else "false"}</isSpam>
        <author><name>Visitor {pid}</name><email>v{pid}@example.org</email>
        <username>visitor{pid}</username></author><ipAddress>198.51.100.{pid}</ipAddress>
        <thread dsq:id="{tid}"/>{f'<parent dsq:id="{parent}"/>' if parent else ""}</post>"""
        for pid, tid, parent, flag in posts
    )
    return f"""<?xml version="1.0"?>
<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">
{thread_xml}{post_xml}
</disqus>
"""
