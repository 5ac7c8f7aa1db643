"""Finding and making the thread of an embedding page."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Post
from forum.services import embed_threads

PAGE = "https://blog.example.org/2026/08/part-3/"


def test_post_for_page_when_another_request_made_it_first_returns_that_post(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = embed_threads.post_for_page(PAGE, "Part 3")
    db.session.commit()
    real = embed_threads.post_by_url
    calls = iter([None])  # the racing request looked before the first one committed
    monkeypatch.setattr(embed_threads, "post_by_url", lambda url: next(calls, real(url)))
    again = embed_threads.post_for_page(PAGE.rstrip("/"), "Part 3 again")
    db.session.commit()
    assert again.id == first.id
    assert db.session.scalar(select(func.count(Post.id))) == 1


def test_page_allowed_when_origin_differs_by_port_is_refused(app: Flask) -> None:
    allowed = ["https://blog.example.org"]
    assert embed_threads.page_allowed(PAGE, allowed)
    assert not embed_threads.page_allowed("https://blog.example.org:8443/x", allowed)
    assert not embed_threads.page_allowed("javascript:alert(1)", allowed)
    assert not embed_threads.page_allowed("https://blog.example.org.evil.example/x", allowed)
