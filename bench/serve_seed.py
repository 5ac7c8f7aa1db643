"""Identical data for the serving benchmark: Porch's threads and queue, and Isso's thread.

The 1,000-reply thread has two thirds top-level replies and a third nested under them; Isso
gets the same 1,000 texts (Isso nests one level only, so the nested ones answer top-level ones).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import text
from werkzeug.security import generate_password_hash

from forum import create_app
from forum.extensions import db
from forum.models import ReplyStatus
from forum.models import Role
from forum.services.moderation import spam
from forum.text.render import render
from tests.factories import EPOCH
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.factories import set_rules

PASSWORD = "bench password, long enough"
THREAD_SIZES = (10, 1_000, 10_000)
PENDING = 10_000
BODY = "Reply {n}: how the taper went in week {w}, and what helped with sleep."


@dataclass(frozen=True)
class Seeded:
    slugs: dict[int, str]  # replies -> thread slug
    posting_slug: str
    member_email: str
    moderator_email: str


def thread_shape(total: int, seed: int = 11) -> list[int | None]:
    """For reply n, the index of the reply it answers (None: top level); a third are nested."""
    rng = random.Random(seed)
    parents: list[int | None] = []
    tops: list[int] = []
    for n in range(total):
        if n % 3 == 2 and tops:
            parents.append(rng.choice(tops[-20:]))
        else:
            parents.append(None)
            tops.append(n)
    return parents


def _html(body: str) -> str:
    """What render() makes of these plain sentences, without its cost 21,000 times over."""
    return f"<p>{body}</p>"


def _thread(total: int, status: str = "approved") -> str:
    assert render(BODY) == _html(BODY)
    post = make_post(title=f"A thread of {total} replies")
    made = []
    for n, parent in enumerate(thread_shape(total)):
        body = BODY.format(n=n, w=n % 12)
        reply = make_reply(
            post,
            made[parent] if parent is not None else None,
            commit=False,
            body_source=body,
            body_html=_html(body),
            status=ReplyStatus(status),
            created_at=EPOCH + timedelta(seconds=n),
        )
        made.append(reply)
        if n % 500 == 499:
            db.session.commit()
    db.session.commit()
    return post.slug


def _every_rule_on() -> None:
    """Every rule runs (none refuses the benchmark's distinct guests): the posting worst case."""
    set_rules(
        hold_first_time=True,
        link_limit=2,
        hold_keywords=["miracle cure", "stop taking", "guaranteed"],
        spam_keywords=["casino", "viagra", "crypto giveaway"],
        spam_emails=["spammer@example.com"],
        spam_ips=["198.51.100.0/24"],
        close_after_days=3650,
        flood_seconds=1,
    )


def seed(database_url: str) -> Seeded:
    """Fill a migrated, empty database."""
    app = create_app({"DATABASE_URL": database_url, "SECRET_KEY": "bench", "TESTING": False})
    with app.app_context():
        hashed = generate_password_hash(PASSWORD)
        member = make_user(role=Role.MEMBER, password_hash=hashed)
        moderator = make_user(role=Role.ADMIN, password_hash=hashed)
        slugs = {size: _thread(size) for size in THREAD_SIZES}
        _thread(PENDING, status="pending")
        posting = make_post(title="Posting here")
        _every_rule_on()
        spam.seed_if_empty()  # a live site's model was seeded long ago, before any ANALYZE
        seeded = Seeded(slugs, posting.slug, member.email, moderator.email)
        db.session.remove()
        if db.engine.dialect.name == "postgresql":
            # What autovacuum keeps on a live site (this server may run with it off): fresh
            # statistics, without which the planner takes the 10,000 pending replies for a
            # handful and sorts them all, and the visibility map, without which the queue's
            # counts cannot be index-only scans. VACUUM runs outside a transaction.
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(text("VACUUM ANALYZE"))
        db.engine.dispose()
    return seeded


ISSO_SEED = """
import sys, time
from isso import config
from isso.db import SQLite3
conf = config.load(config.default_file(), sys.argv[1])
store = SQLite3(conf.get("general", "dbpath"), conf)
store.threads.new("/bench-thread", "A thread of 1000 replies")
ids = []
for n, parent in enumerate(PARENTS):
    comment = store.comments.add("/bench-thread", {
        "text": BODY.format(n=n, w=n % 12), "author": "Guest %d" % n,
        "email": "guest%d@example.org" % n, "website": None, "mode": 1,
        "remote_addr": "127.0.0.1", "created": 1767225600 + n, "notification": 0,
        "parent": ids[parent] if parent is not None else None})
    ids.append(comment["id"])
"""


def isso_seed_script() -> str:
    """A script for Isso's own Python (its venv) adding the same 1,000 comments to its database."""
    return f"PARENTS = {thread_shape(1_000)!r}\nBODY = {BODY!r}\n" + ISSO_SEED
