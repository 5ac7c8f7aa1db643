"""Full-text search over posts and replies: SQLite FTS5 or PostgreSQL tsvector, one interface."""

from forum.services.search.engine import Hit
from forum.services.search.engine import Scope
from forum.services.search.engine import SearchFilters
from forum.services.search.engine import SearchPage
from forum.services.search.engine import search
from forum.services.search.index import index_post
from forum.services.search.index import index_replies
from forum.services.search.index import index_reply
from forum.services.search.index import reindex_all
from forum.services.search.index import reindex_post
from forum.services.search.index import unindex_reply

__all__ = [
    "Hit",
    "Scope",
    "SearchFilters",
    "SearchPage",
    "index_post",
    "index_replies",
    "index_reply",
    "reindex_all",
    "reindex_post",
    "search",
    "unindex_reply",
]
