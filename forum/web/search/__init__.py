"""Search: `/search?q=` for readers (live posts, approved replies), `/mod?q=` for moderators."""

from __future__ import annotations

from typing import Any

from flask import Blueprint
from flask import current_app
from flask import render_template
from flask import request
from flask import url_for
from flask.typing import ResponseReturnValue

from forum.services import search as engine
from forum.services import threads
from forum.web.search.params import SearchArgs
from forum.web.search.params import parse_args
from forum.web.search.presenters import present

bp = Blueprint("search", __name__)
PER_PAGE = 20


def page_url(endpoint: str, args: SearchArgs, page: int) -> str:
    """The same search on another page, keeping every filter."""
    f = args.filters
    params: dict[str, Any] = {
        "q": args.q,
        "category": f.category,
        "author": f.author,
        "from": f.since.isoformat() if f.since else None,
        "to": f.until.isoformat() if f.until else None,
        "thread": f.thread,
        "page": page if page > 1 else None,
    }
    return url_for(endpoint, **{k: v for k, v in params.items() if v})


def _run(args: SearchArgs, scope: engine.Scope) -> engine.SearchPage:
    if args.errors:
        return engine.SearchPage(query=args.q)
    per_page = current_app.config.get("SEARCH_PER_PAGE", PER_PAGE)
    return engine.search(
        args.q, scope=scope, filters=args.filters, page=args.page, per_page=per_page
    )


def render_results(template: str, endpoint: str, scope: engine.Scope) -> ResponseReturnValue:
    """Parse, search, render; bad input is a 400 page that says what to fix."""
    categories = threads.list_categories()
    args = parse_args(request.args, {category.slug for category in categories})
    results = _run(args, scope)
    hits = [present(hit, moderation=scope is engine.Scope.MODERATION) for hit in results.hits]
    page = render_template(
        template,
        args=args,
        results=results,
        hits=hits,
        categories=categories,
        endpoint=endpoint,
        page_url=page_url,
    )
    return page, 400 if args.errors else 200


@bp.get("/search")
def index() -> ResponseReturnValue:
    return render_results("search/index.html", "search.index", engine.Scope.PUBLIC)
