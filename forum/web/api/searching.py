"""Moderators: search every reply whatever its status, as the dashboard's search box does."""

from __future__ import annotations

from flask import current_app
from flask import jsonify
from flask import request
from flask.typing import ResponseReturnValue

from forum.errors import InvalidInput
from forum.services import search as engine
from forum.services import threads
from forum.web.api import schemas
from forum.web.api.blueprint import moderator_route
from forum.web.api.body import query_args
from forum.web.api.presenters import hit_json
from forum.web.search import PER_PAGE
from forum.web.search.params import MAX_NAME
from forum.web.search.params import MAX_PAGE
from forum.web.search.params import MAX_QUERY
from forum.web.search.params import parse_args

DAY = {"type": "string", "format": "date"}


@moderator_route(
    "/moderation/search",
    "GET",
    summary="Search every reply, whatever its status, by words, author, category and dates",
    response=schemas.SEARCH,
    query={
        "q": {"type": "string", "maxLength": MAX_QUERY},
        "author": {"type": "string", "maxLength": MAX_NAME},
        "category": schemas.STR,
        "thread": schemas.STR,
        "from": DAY,
        "to": DAY,
        "page": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
    },
)
def moderation_search() -> ResponseReturnValue:
    query_args()  # types and lengths as documented, before the search page's own checks
    slugs = {category.slug for category in threads.list_categories()}
    args = parse_args(request.args, slugs)  # the search page's own checks, every problem at once
    if args.errors:
        raise InvalidInput({name: [message] for name, message in args.errors.items()})
    found = engine.search(
        args.q,
        scope=engine.Scope.MODERATION,
        filters=args.filters,
        page=args.page,
        per_page=current_app.config.get("SEARCH_PER_PAGE", PER_PAGE),
    )
    return jsonify(
        query=found.query,
        hits=[hit_json(hit) for hit in found.hits],
        total=found.total,
        page=found.page,
        has_next=found.has_next,
    )
