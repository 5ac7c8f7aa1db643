"""Every /api/v1 endpoint taking input, fed hostile JSON: never a 500, refusals store nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from hypothesis import given
from hypothesis import strategies as st

from forum.models import Role
from forum.models.base import utcnow
from tests.factories import make_post
from tests.factories import make_reply
from tests.factories import make_user
from tests.security.fuzz.values import FUZZ
from tests.security.fuzz.values import raw
from tests.security.fuzz.values import row_counts
from tests.security.fuzz.values import shared_site
from tests.security.fuzz.values import texts
from tests.web.api.conftest import bearer

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**63, max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    texts,
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(texts, inner, max_size=4),
    max_leaves=12,
)


def _nested(depth: int) -> str:
    return '{"body": ' + "[" * depth + "]" * depth + "}"


@st.composite
def bodies(draw: Any, valid: dict[str, Any]) -> bytes:
    """A valid body with some fields hostile, or something that is not an object at all."""
    kind = draw(st.integers(0, 9))
    if kind == 0:
        return draw(raw)  # not JSON, or not UTF-8
    if kind == 1:
        return _nested(draw(st.integers(10, 3000))).encode()
    if kind == 2:
        return json.dumps(draw(json_values)).encode()
    data = dict(valid)
    for name in draw(st.sets(st.sampled_from([*valid, "extra"]), min_size=1, max_size=3)):
        if draw(st.booleans()) and name in data:
            del data[name]
        else:
            data[name] = draw(json_values)
    return json.dumps(data).encode()  # lone surrogates go as \\udXXX escapes, NaN as NaN


# (method, url, valid body); {reply}, {own} and {ban} come from the seed.
ENDPOINTS: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/api/v1/posts/fuzz/replies", {"body": "Hi", "name": "Ann", "email": "a@b.org"}),
    ("PATCH", "/api/v1/replies/{own}", {"body": "Edited"}),
    ("PUT", "/api/v1/replies/{reply}/like", {"liked": True}),
    ("POST", "/api/v1/replies/{reply}/reports", {"reason": "spam", "note": "Spam"}),
    ("POST", "/api/v1/moderation/actions", {"action": "approve", "ids": [1], "reason": ""}),
    ("POST", "/api/v1/moderation/bans", {"email": "spam@example.org", "reason": "spam"}),
    ("POST", "/api/v1/moderation/bans/{ban}/lift", {"reason": "sorry"}),
    ("GET", "/api/v1/posts", {}),
    ("GET", "/api/v1/posts/fuzz/replies", {}),
    ("GET", "/api/v1/moderation/queue", {}),
    ("GET", "/api/v1/moderation/audit", {}),
]
QUERY = {"page": "1", "sort": "newest", "tab": "held", "category": "x", "per_page": "10"}


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[Flask, dict[str, Any]]]:
    with shared_site() as app:
        moderator = make_user(role=Role.MODERATOR, email_verified_at=utcnow())
        post = make_post(slug="fuzz")
        reply = make_reply(post)
        own = make_reply(post, author=moderator, created_at=utcnow())
        seed = {"reply": reply.id, "own": own.id, "ban": 1}
        seed["token"] = bearer(moderator, "read", "write", "moderate")
        yield app, seed


@pytest.mark.parametrize("as_token", [True, False], ids=["token", "browser"])
@pytest.mark.parametrize(("method", "url", "valid"), ENDPOINTS, ids=[e[1] for e in ENDPOINTS])
def test_api_never_fails_and_refusals_store_nothing(
    site: tuple[Flask, dict[str, Any]], as_token: bool, method: str, url: str, valid: dict[str, Any]
) -> None:
    app, seed = site
    client = app.test_client()
    path = url.format(**seed)
    headers = {"Content-Type": "application/json"}
    headers |= seed["token"] if as_token else {"Sec-Fetch-Site": "same-origin"}

    if method == "GET":

        @given(query=st.dictionaries(st.sampled_from(list(QUERY)), texts, max_size=3))
        @FUZZ
        def read(query: dict[str, str]) -> None:
            encoded = {k: v.encode("utf-8", "surrogatepass") for k, v in query.items()}
            response = client.get(path, query_string=encoded, headers=headers)
            assert response.status_code < 500, (path, query)

        read()
        return

    @given(body=bodies(valid))
    @FUZZ
    def send(body: bytes) -> None:
        before = row_counts()
        response = client.open(path, method=method, data=body, headers=headers)
        assert response.status_code < 500, (path, body[:300])
        assert response.is_json, (path, response.status_code)
        if response.status_code >= 400:
            assert row_counts() == before, (path, body[:300], response.status_code)

    send()
