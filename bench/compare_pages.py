"""Prints a digest of signed-in thread pages (CSRF tokens blanked) as this checkout renders them.

`PYTHONPATH=<checkout> .venv/bin/python bench/compare_pages.py DB.sqlite3` on two checkouts and a
seeded bench database (bench.profile_member makes one): equal digests, byte-identical pages.
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys

from sqlalchemy import select
from sqlalchemy import text

from forum import create_app
from forum.extensions import db
from forum.models import User
from tests.conftest import login_on

_TOKEN = re.compile(r'(name="csrf_token"[^>]*value="|name="csrf-token" content=")[^"]*')
_JSON_TOKEN = re.compile(r'(name=\\"csrf_token\\"[^>]*value=\\")[^"\\]*')


def main() -> None:
    logging.getLogger("porch.request").setLevel(logging.WARNING)
    url = f"sqlite:///{sys.argv[1]}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context():
        slug = db.session.scalar(text("SELECT slug FROM post WHERE title LIKE 'A thread of 1000%'"))
        users = list(db.session.scalars(select(User).order_by(User.id).limit(2)))
    for user in [*users, None]:
        client = app.test_client()
        if user is not None:
            with app.app_context():
                login_on(client, db.session.merge(user))
        for query in ("", "?sort=newest", "?sort=liked", "?page=2", "?page=2&fragment=1"):
            for attempt in ("first", "again"):
                body = client.get(f"/t/{slug}{query}").get_data(as_text=True)
                body = _JSON_TOKEN.sub(r"\1", _TOKEN.sub(r"\1", body))
                digest = hashlib.sha256(body.encode()).hexdigest()[:16]
                who = user.role if user is not None else "anonymous"
                print(who, query or "/", attempt, len(body), digest)


if __name__ == "__main__":
    main()
