"""The API blueprint, apart so the view modules can import it without a cycle."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint

from forum.errors import API_PREFIX
from forum.web.api.spec import View
from forum.web.api.spec import operation

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)


def route(rule: str, method: str, **details: Any) -> Callable[[View], View]:
    """Route a view of the API and record it for the document (see spec.operation)."""
    return operation(bp, rule, method, **details)


def moderator_route(rule: str, method: str, **details: Any) -> Callable[[View], View]:
    """A route for moderators: tokens need the moderate scope, sessions a moderator's account."""
    return operation(bp, rule, method, scope="moderate", **details)
