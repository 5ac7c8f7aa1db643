"""Hostile input for the fuzz tests: text, bytes, numbers and shapes that break naive code."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote_from_bytes

import pytest
from flask import Flask
from hypothesis import HealthCheck
from hypothesis import settings
from hypothesis import strategies as st
from sqlalchemy import func
from sqlalchemy import select

from forum import create_app
from forum.extensions import db
from tests.conftest import TEST_CONFIG
from tests.conftest import RequestScopedClient
from tests.conftest import database_for
from tests.factories import set_rules

# Bounded so the whole fuzz run stays well under a minute on a small machine; set
# PORCH_FUZZ_EXAMPLES=500 for a longer hunt.
FUZZ = settings(
    max_examples=int(os.environ.get("PORCH_FUZZ_EXAMPLES", "6")),
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SPECIAL_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: not encodable as UTF-8
    "\udfffx",
    "\u202eevil\u202c",
    "\u200b",
    "\ufeff",
    "\ufffd",
    "-1",
    "0",
    "99999999999999999999999",
    "1e309",
    "nan",
    "-inf",
    "2026-13-45T25:61",
    "javascript:alert(1)",
    "http://127.0.0.1:1/",
    "https://example.org/" + "a" * 600,
    "<script>alert(1)</script>",
    "%(name)s {0} {{7*7}}",
    "'; DROP TABLE reply; --",
    "../../etc/passwd",
    "a@b",
    "@",
    "A" * 81,
    "x" * 20_001,
]

texts = st.one_of(
    st.sampled_from(SPECIAL_TEXT),
    st.text(max_size=60),  # any code point, surrogates included
    st.text(alphabet=st.characters(max_codepoint=0x7F), max_size=30),
)
raw = st.one_of(texts.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary(max_size=40))


@st.composite
def form_fields(draw: Any, valid: dict[str, str]) -> list[tuple[str, bytes]]:
    """Each field kept valid, left out, hostile, or given several times (a list for a value).

    Starting from a valid submission lets the hostile value reach the code behind the form's
    other checks (a guest's name only matters once the body and email pass).
    """
    names = list(valid)
    hostile = draw(st.sets(st.sampled_from(names), min_size=1, max_size=min(3, len(names))))
    pairs: list[tuple[str, bytes]] = []
    for name, good in valid.items():
        values = draw(st.lists(raw, max_size=3)) if name in hostile else [good.encode()]
        pairs.extend((name, value) for value in values if value or name in hostile)
    if draw(st.booleans()):
        pairs.append(("unexpected", draw(raw)))
    return pairs


def urlencoded(pairs: list[tuple[str, bytes]]) -> bytes:
    """Percent-encoded bytes, invalid UTF-8 included, as a hostile client can send them."""
    encoded = (f"{quote_from_bytes(k.encode())}={quote_from_bytes(v)}" for k, v in pairs)
    return "&".join(encoded).encode()


def row_counts() -> dict[str, int]:
    """Rows in every table, to show a refused request stored nothing."""
    db.session.rollback()
    return {
        table.name: db.session.scalar(select(func.count()).select_from(table)) or 0
        for table in db.metadata.sorted_tables
    }


@contextmanager
def no_dns() -> Iterator[None]:
    """Names do not resolve (webhook URLs are looked up): no query leaves the machine."""
    real = socket.getaddrinfo

    def numeric_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        kwargs["flags"] = kwargs.get("flags", 0) | socket.AI_NUMERICHOST
        return real(host, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(socket, "getaddrinfo", numeric_only)
        yield


@contextmanager
def shared_site(**config: Any) -> Iterator[Flask]:
    """One app and database for a module's fuzz cases (building one per case costs more)."""
    app = create_app({**TEST_CONFIG, **config})
    app.test_client_class = RequestScopedClient
    with no_dns(), database_for(app):
        set_rules(flood_seconds=0, spam_threshold=1.01, spam_hold_threshold=1.01)
        yield app
