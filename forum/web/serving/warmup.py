"""A new gunicorn worker renders the front page and the newest thread once, alone, before it
takes connections (gunicorn.conf.py's post_worker_init).

Why: on Python 3.11, a worker started under load crashed (SIGSEGV: the garbage collector met
freed memory) in about one start in four, while several of its threads rendered a large thread
for the first time at once. `make soak` restarts an instance under load and caught it. The same
code on Python 3.12 did not crash in 24 such restarts, nor did it on 3.11 after this warm-up, so
the fault is the interpreter's, set off by those first renders running together; the warm-up
keeps them to one thread. Its first visitors also no longer wait for templates to compile and
caches to fill.
"""

from __future__ import annotations

import logging

from flask import Flask
from flask import url_for
from werkzeug.test import Client

from forum.services.threads import list_posts

log = logging.getLogger("porch.warmup")


def warm(app: Flask) -> list[tuple[str, int]]:
    """GET the front page and the newest live thread through the whole WSGI stack, as an
    anonymous reader; returns each path with its status. A failure (the database not up yet,
    say) is logged, never raised: the worker serves as it would have without the warm-up."""
    try:
        paths = _paths(app)
        client = Client(app)  # through app.wsgi_app: every middleware, the page cache too
        rendered = [(path, client.get(path).status_code) for path in paths]
    except Exception:  # the warm-up must never keep a worker from starting
        log.warning("warm-up failed; serving cold", exc_info=True)
        return []
    log.info("warmed up", extra={"pages": dict(rendered)})
    return rendered


def _paths(app: Flask) -> list[str]:
    with app.test_request_context("/"):
        newest = list_posts(page=1, per_page=1).items
        threads = [url_for("threads.show", slug=item.post.slug) for item in newest]
        return [url_for("threads.index"), *threads]
