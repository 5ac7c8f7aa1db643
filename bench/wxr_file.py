"""Writes a synthetic WordPress export (WXR 1.2) of any size, streamed, for the import benchmark."""

from __future__ import annotations

import random
from datetime import UTC
from datetime import datetime
from datetime import timedelta
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape

MAX_DEPTH = 10  # comments nest up to ten levels, as WordPress allows

_HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
     xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:wfw="http://wellformedweb.org/CommentAPI/"
     xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Benchmark blog</title>
<link>https://bench.example.org</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://bench.example.org</wp:base_site_url>
<wp:base_blog_url>https://bench.example.org</wp:base_blog_url>
<wp:author><wp:author_id>1</wp:author_id><wp:author_login>owner</wp:author_login>
<wp:author_email>owner@bench.example.org</wp:author_email>
<wp:author_display_name><![CDATA[The Owner]]></wp:author_display_name></wp:author>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>notes</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[Notes]]></wp:cat_name></wp:category>
"""

_WORDS = (
    "withdrawal taper dose week sleep doctor morning better slowly again thanks story "
    "support reading helped pharmacist weeks months calm patience routine walk"
).split()


def write_wxr(path: Path, *, posts: int, comments: int, seed: int = 1) -> None:
    """`comments` spread evenly over `posts`, each answering the post or a comment above it."""
    rng = random.Random(seed)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    per_post, extra = divmod(comments, posts)
    next_comment_id = 1
    with path.open("w", encoding="utf-8") as out:
        out.write(_HEAD)
        for number in range(1, posts + 1):
            count = per_post + (1 if number <= extra else 0)
            published = start + timedelta(days=number)
            _write_item(out, rng, number, published, next_comment_id, count)
            next_comment_id += count
        out.write("</channel>\n</rss>\n")


def _write_item(
    out: TextIO, rng: random.Random, number: int, published: datetime, first_id: int, count: int
) -> None:
    slug = f"post-{number}"
    date = published.strftime("%Y-%m-%d %H:%M:%S")
    out.write(
        f"<item><title>Post number {number}</title>"
        f"<link>https://bench.example.org/{slug}/</link>"
        f"<dc:creator><![CDATA[owner]]></dc:creator>"
        f'<guid isPermaLink="false">https://bench.example.org/?p={number}</guid>'
        f"<content:encoded><![CDATA[<p>{_sentence(rng, 40)}</p>]]></content:encoded>"
        f"<excerpt:encoded><![CDATA[]]></excerpt:encoded>"
        f"<wp:post_id>{number}</wp:post_id><wp:post_date>{date}</wp:post_date>"
        f"<wp:post_date_gmt>{date}</wp:post_date_gmt><wp:post_name>{slug}</wp:post_name>"
        f"<wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent>"
        f"<wp:post_type>post</wp:post_type>"
        f'<category domain="category" nicename="notes"><![CDATA[Notes]]></category>\n'
    )
    depths: dict[int, int] = {}
    for comment_id in range(first_id, first_id + count):
        parent = _pick_parent(rng, depths, first_id, comment_id)
        depths[comment_id] = depths[parent] + 1 if parent else 1
        moment = published + timedelta(minutes=comment_id - first_id + 1)
        _write_comment(out, rng, comment_id, parent, moment)
    out.write("</item>\n")


def _pick_parent(rng: random.Random, depths: dict[int, int], first_id: int, own_id: int) -> int:
    """Half the comments answer the post; the rest answer a recent comment above the depth cap."""
    if own_id == first_id or rng.random() < 0.5:
        return 0
    candidate = rng.randrange(max(first_id, own_id - 20), own_id)
    return candidate if depths[candidate] < MAX_DEPTH else 0


def _write_comment(
    out: TextIO, rng: random.Random, comment_id: int, parent: int, moment: datetime
) -> None:
    author = rng.randrange(1, 5000)
    date = moment.strftime("%Y-%m-%d %H:%M:%S")
    status = "1" if rng.random() < 0.95 else rng.choice(("0", "spam", "trash"))
    body = escape(_sentence(rng, rng.randrange(8, 60)))
    out.write(
        f"<wp:comment><wp:comment_id>{comment_id}</wp:comment_id>"
        f"<wp:comment_author><![CDATA[Reader {author}]]></wp:comment_author>"
        f"<wp:comment_author_email>reader{author}@example.org</wp:comment_author_email>"
        f"<wp:comment_author_url></wp:comment_author_url>"
        f"<wp:comment_author_IP>192.0.2.{author % 250}</wp:comment_author_IP>"
        f"<wp:comment_date>{date}</wp:comment_date><wp:comment_date_gmt>{date}</wp:comment_date_gmt>"
        f"<wp:comment_content><![CDATA[<p>{body}</p>]]></wp:comment_content>"
        f"<wp:comment_approved>{status}</wp:comment_approved>"
        f"<wp:comment_type>comment</wp:comment_type>"
        f"<wp:comment_parent>{parent}</wp:comment_parent>"
        f"<wp:comment_user_id>0</wp:comment_user_id></wp:comment>\n"
    )


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(words)).capitalize() + "."
