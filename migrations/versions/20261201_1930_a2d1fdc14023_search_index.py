"""full-text search index: an FTS5 table on SQLite, a tsvector table with a GIN index on PostgreSQL

Revision ID: a2d1fdc14023
Revises: 7a3e5b9c1d42
Create Date: 2026-12-01 19:30:00

The index is filled from the existing posts and replies, so a site that upgrades can search at
once (`flask --app wsgi porch search reindex` rebuilds it at any time).
"""
import re
from html.parser import HTMLParser

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a2d1fdc14023'
down_revision = '7a3e5b9c1d42'
branch_labels = None
depends_on = None

TABLE = 'search_document'
SQLITE = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "title, body, post_id UNINDEXED, tokenize='porter unicode61 remove_diacritics 2')",
)
POSTGRESQL = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} ("
    "doc_id bigint PRIMARY KEY, post_id integer NOT NULL, "
    "title text NOT NULL DEFAULT '', body text NOT NULL DEFAULT '', "
    "tsv tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', title), 'A') "
    "|| setweight(to_tsvector('english', body), 'B')) STORED)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_tsv ON {TABLE} USING gin (tsv)",
    f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_post_id ON {TABLE} (post_id)",
)
_BREAKS = {'p', 'br', 'li', 'ul', 'ol', 'blockquote', 'pre', 'div'}
_CONTROL = re.compile(r'[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]')


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        self.parts.append(' ' if tag in _BREAKS else '')

    def handle_endtag(self, tag):
        self.parts.append(' ' if tag in _BREAKS else '')

    def handle_data(self, data):
        self.parts.append(data)


def _plain(html):
    parser = _Text()
    parser.feed(html or '')
    parser.close()
    return _CONTROL.sub(' ', ' '.join(''.join(parser.parts).split()))


def upgrade():
    bind = op.get_bind()
    sqlite = bind.dialect.name == 'sqlite'
    for statement in SQLITE if sqlite else POSTGRESQL:
        op.execute(statement)
    key = 'rowid' if sqlite else 'doc_id'
    insert = sa.text(
        f"INSERT INTO {TABLE} ({key}, post_id, title, body) VALUES (:key, :post_id, :title, :body)"
    )
    posts = bind.execute(sa.text('SELECT id, title, body_html FROM post')).all()
    if posts:
        bind.execute(insert, [
            {'key': -id_, 'post_id': id_, 'title': _CONTROL.sub(' ', title), 'body': _plain(html)}
            for id_, title, html in posts
        ])
    replies = bind.execute(sa.text('SELECT id, post_id, body_html FROM reply')).all()
    for start in range(0, len(replies), 2000):
        bind.execute(insert, [
            {'key': id_, 'post_id': post_id, 'title': '', 'body': _plain(html)}
            for id_, post_id, html in replies[start:start + 2000]
        ])


def downgrade():
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
