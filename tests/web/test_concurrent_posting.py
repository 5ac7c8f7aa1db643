"""Many people replying at once on a new PostgreSQL site: nobody gets an error, the seed lands once.

Each writer has its own app, engine and connections, as separate server processes would. These
tests need a real server with row locks, so they run only with PORCH_TEST_DATABASE_URL set to a
PostgreSQL database (the tables are emptied after each test, as for every test on it).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete
from sqlalchemy import func
from sqlalchemy import select

from forum.extensions import db
from forum.models import Reply
from forum.models import Setting
from forum.models import SpamToken
from forum.services import site_settings
from forum.services.moderation import spam
from forum.services.moderation.spam_model import SpamModel
from forum.services.moderation.spam_model import seed_examples
from tests.conftest import EXTERNAL_DATABASE_URL
from tests.conftest import RequestScopedClient
from tests.conftest import make_app
from tests.factories import make_post
from tests.factories import set_rules

pytestmark = pytest.mark.skipif(
    not (EXTERNAL_DATABASE_URL or "").startswith("postgresql"),
    reason="needs PostgreSQL (PORCH_TEST_DATABASE_URL): SQLite runs one writer at a time",
)

WRITERS = 6
REPLIES_EACH = 5
ROUNDS = 5


def _run_at_once(apps: list[Flask], work: Callable[[Flask, int], list[Any]]) -> list[Any]:
    """Run work(app, index) in one thread per app, all released together; collect results."""
    barrier = threading.Barrier(len(apps))
    results: list[list[Any]] = [[] for _ in apps]

    def run(index: int) -> None:
        app = apps[index]
        try:
            with app.app_context():
                barrier.wait(timeout=30)
                results[index] = work(app, index)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = [repr(error)]
        finally:
            with app.app_context():
                db.session.remove()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(apps))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return [item for result in results for item in result]


def test_guest_replies_posted_at_once_on_a_new_site_all_succeed_and_seed_the_filter_once(
    app: Flask,
) -> None:
    post = make_post()
    slug = post.slug
    set_rules(flood_seconds=0)  # the spam filter still scores (and so seeds) every reply
    assert db.session.get(Setting, spam.TOTALS_KEY) is None
    apps = [make_app() for _ in range(WRITERS)]

    def post_replies(writer_app: Flask, index: int) -> list[Any]:
        writer_app.test_client_class = RequestScopedClient
        client = writer_app.test_client()
        statuses = []
        for n in range(REPLIES_EACH):
            response = client.post(
                f"/t/{slug}/replies",
                data={
                    "body": f"Thinking of you all, from writer {index} ({n}).",
                    "name": f"Writer {index}",
                    "email": f"writer{index}@example.org",
                },
                environ_base={"REMOTE_ADDR": f"192.0.2.{index + 1}"},
            )
            statuses.append(response.status_code)
        return statuses

    outcomes = _run_at_once(apps, post_replies)

    assert outcomes == [303] * WRITERS * REPLIES_EACH
    db.session.rollback()
    assert db.session.scalar(select(func.count(Reply.id))) == WRITERS * REPLIES_EACH
    seed = SpamModel.trained_on(seed_examples())
    totals = db.session.get(Setting, spam.TOTALS_KEY)
    assert totals is not None and totals.value == {"spam": seed.totals[0], "ham": seed.totals[1]}
    assert db.session.scalar(select(func.count(SpamToken.token))) == len(seed.tokens)


def test_settings_saved_at_once_on_a_new_site_all_succeed_and_one_value_wins(app: Flask) -> None:
    apps = [make_app() for _ in range(WRITERS)]

    def store(writer_app: Flask, index: int) -> list[Any]:
        site_settings.store_moderation_settings(site_settings.ModerationSettings(link_limit=index))
        site_settings.store_site_settings(site_settings.SiteSettings(site_name=f"Porch {index}"))
        db.session.commit()
        return ["saved"]

    for _ in range(ROUNDS):  # each round races for the first write again
        db.session.execute(delete(Setting))
        db.session.commit()
        outcomes = _run_at_once(apps, store)

        assert outcomes == ["saved"] * WRITERS
        assert site_settings.moderation_settings().link_limit in range(WRITERS)
        assert db.session.scalar(select(func.count()).select_from(Setting)) == 2
        db.session.rollback()
