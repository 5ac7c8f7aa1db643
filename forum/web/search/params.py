"""The search page's query string, checked: a problem is a message for the page, never a 500."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field
from datetime import date

from werkzeug.datastructures import MultiDict

from forum.i18n import _
from forum.services.search import SearchFilters
from forum.services.slugs import at_most
from forum.web.ids import parse_id

MAX_QUERY = 200
MAX_NAME = 80
MAX_PAGE = 500


@dataclass
class SearchArgs:
    q: str = ""
    filters: SearchFilters = field(default_factory=SearchFilters)
    page: int = 1
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def filtered(self) -> bool:
        f = self.filters
        return any((f.category, f.author, f.since, f.until))


def _day(raw: str, name: str, errors: dict[str, str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[name] = _(
            "“%(value)s” is not a date: use year-month-day, like 2026-03-14.", value=raw[:20]
        )
        return None


def _page(raw: str, errors: dict[str, str]) -> int:
    number = parse_id(raw)
    if number is not None and 1 <= number <= MAX_PAGE:
        return number
    errors["page"] = _("The page number must be a whole number from 1 to %(max)d.", max=MAX_PAGE)
    return 1


def _text(args: MultiDict[str, str], name: str, limit: int, errors: dict[str, str]) -> str:
    value = args.get(name, "").strip()
    if len(value) > limit:
        errors[name] = at_most(limit)
        return value[:limit]
    return value


def parse_args(args: MultiDict[str, str], categories: set[str]) -> SearchArgs:
    """Read q, category, author, from, to, thread and page; collect every problem at once."""
    errors: dict[str, str] = {}
    q = _text(args, "q", MAX_QUERY, errors)
    author = _text(args, "author", MAX_NAME, errors)
    category = args.get("category", "").strip()
    if category and category not in categories:
        errors["category"] = _("There is no such category; choose one from the list.")
    since = _day(args.get("from", "").strip(), "from", errors)
    until = _day(args.get("to", "").strip(), "to", errors)
    if since and until and since > until:
        errors["to"] = _("The end date comes before the start date.")
    filters = SearchFilters(
        category=category or None,
        author=author or None,
        since=since,
        until=until,
        thread=args.get("thread", "").strip()[:200] or None,
    )
    return SearchArgs(q, filters, _page(args.get("page", "1"), errors), errors)
