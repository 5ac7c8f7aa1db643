"""The API blueprint, apart so the view modules can import it without a cycle."""

from __future__ import annotations

from flask import Blueprint

from forum.errors import API_PREFIX

bp = Blueprint("api", __name__, url_prefix=API_PREFIX)
