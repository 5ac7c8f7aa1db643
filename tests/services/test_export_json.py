"""The JSON export and its restore: complete, secret-free, deterministic, all or nothing."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import delete
from sqlalchemy import inspect
from sqlalchemy import select

from forum.extensions import db
from forum.models import Reply
from forum.models import User
from forum.services.exporting import policy
from forum.services.exporting.json_export import write_export
from forum.services.exporting.json_restore import RestoreRefused
from forum.services.exporting.json_restore import restore
from tests.conftest import make_app
from tests.export_site import GUEST_TOKEN
from tests.export_site import TRICKY
from tests.export_site import Site
from tests.export_site import fill_site
from tests.factories import make_post
from tests.factories import make_reply


def export_text() -> str:
    out = io.StringIO()
    write_export(db.engine, out)
    return out.getvalue()


def without_timestamp(text: str) -> str:
    return re.sub(r'^"exported_at": .*\n', "", text, flags=re.MULTILINE)


def restore_text(text: str) -> dict[str, int]:
    return restore(db.engine, io.StringIO(text))


def empty_database() -> None:
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(delete(table))
    db.session.commit()


@pytest.fixture
def site(app: Flask) -> Site:
    return fill_site()


@pytest.fixture
def fresh_sqlite(app: Flask) -> Flask:
    """A second site with its own empty in-memory database; the test's app stays current."""
    other = make_app(DATABASE_URL="sqlite://")
    with other.app_context():
        db.create_all()
    return other


def test_export_restore_into_new_database_then_export_gives_the_same_file(
    site: Site, fresh_sqlite: Flask
) -> None:
    first = export_text()
    with fresh_sqlite.app_context():
        counts = restore_text(first)
        second = export_text()
    assert counts["reply"] == 7 and counts["audit_entry"] == 2 and counts["like"] == 2
    assert without_timestamp(second) == without_timestamp(first)


def test_restore_into_emptied_database_continues_ids_after_the_restored_rows(site: Site) -> None:
    first = export_text()
    empty_database()
    restore_text(first)
    assert without_timestamp(export_text()) == without_timestamp(first)
    newest = make_reply(db.session.get(Reply, site.reply_ids["top"]).post)
    assert newest.id == max(site.reply_ids.values()) + 1


def test_export_has_every_table_with_rows_in_primary_key_order(site: Site) -> None:
    document = json.loads(export_text())
    assert document["format"] == "porch-export" and document["version"] == 1
    assert list(document["tables"]) == [t.name for t in policy.exported_tables(db.metadata)]
    for name, rows in document["tables"].items():
        assert rows, f"{name} should have a row in this site"
    ids = [row["id"] for row in document["tables"]["reply"]]
    assert ids == sorted(ids)
    top = next(r for r in document["tables"]["reply"] if r["id"] == site.reply_ids["top"])
    assert top["body_source"] == TRICKY and top["status"] == "approved"
    assert top["created_at"].endswith("Z") and "T" in top["created_at"]
    guest = next(r for r in document["tables"]["reply"] if r["id"] == site.reply_ids["guest"])
    assert guest["decision_trace"] == [{"rule": "first_time", "held": True}]


def test_export_leaves_out_passwords_and_sessions_and_hides_guest_tokens(site: Site) -> None:
    text = export_text()
    assert site.password_hash not in text and site.session_token not in text
    assert GUEST_TOKEN not in text and "webhook-signing-secret" not in text
    document = json.loads(text)
    assert document["withheld"] == {
        "user": ["password_hash", "session_token"],
        "webhook": ["secret"],
    }
    assert all("password_hash" not in row for row in document["tables"]["user"])
    pseudonym = policy.pseudonym(GUEST_TOKEN)
    guest_reply = [r for r in document["tables"]["reply"] if r["guest_token"] == pseudonym]
    guest_like = [r for r in document["tables"]["like"] if r["guest_token"] == pseudonym]
    guest_flag = [r for r in document["tables"]["flag"] if r["reporter_token"] == pseudonym]
    assert len(guest_reply) == len(guest_like) == len(guest_flag) == 1


def test_restored_accounts_have_no_password_and_a_new_session_token(
    site: Site, fresh_sqlite: Flask
) -> None:
    text = export_text()
    with fresh_sqlite.app_context():
        restore_text(text)
        admin = db.session.get(User, site.admin_id)
        assert admin is not None and admin.display_name == "Ädmin"
        assert admin.password_hash is None
        assert admin.session_token and admin.session_token != site.session_token
        tree = {r.id: r.parent_id for r in db.session.scalars(select(Reply))}
    assert tree[site.reply_ids["older_child"]] == site.reply_ids["younger_parent"]
    assert tree[site.reply_ids["guest"]] == site.reply_ids["answer"]


def test_restore_into_a_database_with_content_is_refused_and_changes_nothing(site: Site) -> None:
    text = export_text()
    with pytest.raises(RestoreRefused, match="not empty"):
        restore_text(text)
    assert without_timestamp(export_text()) == without_timestamp(text)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="something-else"), "not a Porch export"),
        (lambda d: d.update(version=2), "format version 2"),
        (lambda d: d.update(schema="0123456789ab"), "newer than this Porch"),
        (lambda d: d.update(schema="352babb9299f"), "db upgrade 352babb9299f"),
        (lambda d: d["tables"].pop("like"), "missing: like"),
        (lambda d: d["tables"].update(gadget=[]), "unknown: gadget"),
        (
            lambda d: d["tables"]["user"][0].update(password_hash="x"),
            "unknown columns: password_hash",
        ),
    ],
)
def test_restore_of_a_file_it_does_not_understand_is_refused(
    site: Site, fresh_sqlite: Flask, change: object, message: str
) -> None:
    document = json.loads(export_text())
    change(document)  # type: ignore[operator]
    with fresh_sqlite.app_context():
        with pytest.raises(RestoreRefused, match=re.escape(message)):
            restore_text(json.dumps(document))
        assert db.session.scalar(select(User.id)) is None


def test_restore_of_rows_the_database_rejects_writes_nothing(
    site: Site, fresh_sqlite: Flask
) -> None:
    document = json.loads(export_text())
    document["tables"]["reply"].append(dict(document["tables"]["reply"][0]))  # a duplicate id
    with fresh_sqlite.app_context():
        with pytest.raises(RestoreRefused, match="nothing was"):
            restore_text(json.dumps(document))
        assert db.session.scalar(select(User.id)) is None


@pytest.mark.parametrize(
    ("column", "bad"),
    [("status", "bogus"), ("created_at", "yesterday"), ("created_at", "2026-01-01T00:00:00")],
)
def test_restore_of_a_value_of_the_wrong_kind_writes_nothing(
    site: Site, fresh_sqlite: Flask, column: str, bad: str
) -> None:
    document = json.loads(export_text())
    document["tables"]["reply"][-1][column] = bad
    with fresh_sqlite.app_context():
        with pytest.raises(RestoreRefused, match=f"(?i)nothing was.*reply.{column}"):
            restore_text(json.dumps(document))
        assert db.session.scalar(select(User.id)) is None


def test_restore_of_something_that_is_not_json_is_refused(fresh_sqlite: Flask) -> None:
    with fresh_sqlite.app_context(), pytest.raises(RestoreRefused, match="not a JSON file"):
        restore_text("<rss>")


def test_restore_of_an_empty_site_export_works(app: Flask, fresh_sqlite: Flask) -> None:
    text = export_text()
    with fresh_sqlite.app_context():
        assert sum(restore_text(text).values()) == 0
        make_post()  # ids start at 1 as usual


SECRET_LOOKING = re.compile(r"token|secret|password|hash|key|salt|otp|api", re.IGNORECASE)


def test_every_secret_looking_column_has_an_export_decision() -> None:
    """A new column named like a credential must be withheld, pseudonymised or cleared here."""
    decided = set(policy.WITHHELD) | policy.PSEUDONYMISED | policy.NOT_SECRET
    for table in policy.exported_tables(db.metadata):
        for column in table.columns:
            if SECRET_LOOKING.search(column.name):
                assert (table.name, column.name) in decided, f"decide on {table.name}.{column.name}"


def test_export_format_doc_names_every_table_and_column() -> None:
    """docs/export-format.md documents the format: a new table or column needs a line there."""
    doc = (Path(__file__).resolve().parents[2] / "docs" / "export-format.md").read_text()
    sections = dict(re.findall(r"^### `(\w+)`\n(.*?)(?=^#)", doc, flags=re.MULTILINE | re.DOTALL))
    for table in policy.exported_tables(db.metadata):
        assert table.name in sections, f"document table {table.name} in docs/export-format.md"
        for column in table.columns:
            assert f"`{column.name}`" in sections[table.name], (
                f"document {table.name}.{column.name}"
            )


def test_file_from_an_older_schema_restores_at_its_revision_then_upgrades(
    site: Site, tmp_path: Path
) -> None:
    """The documented route: `db upgrade <schema>`, restore, `db upgrade`."""
    from flask_migrate import upgrade

    current = json.loads(export_text())
    other = make_app(DATABASE_URL=f"sqlite:///{tmp_path / 'older.sqlite3'}")
    with other.app_context():
        upgrade(revision="87f3ddbd5a8d")  # the revision before reply.spam_lesson
        older, later_columns = _as_written_at_this_revision(current)
        restore_text(json.dumps(older))
        assert json.loads(export_text())["tables"] == older["tables"]  # as the old Porch wrote it
        upgrade()
        upgraded = json.loads(export_text())
    assert upgraded["schema"] == current["schema"]
    replies = upgraded["tables"]["reply"]
    assert [row["spam_lesson"] for row in replies] == [None] * len(replies)  # not held then
    for name, rows in older["tables"].items():  # everything the old file held, unchanged
        assert _without(upgraded["tables"][name], later_columns[name]) == rows, name


def _as_written_at_this_revision(
    export: dict[str, Any],
) -> tuple[dict[str, Any], dict[str, set[str]]]:
    """The export as this database's revision would hold it, and the columns it lacks per table."""
    schema = inspect(db.engine)
    present = {
        name: {c["name"] for c in schema.get_columns(name)} for name in schema.get_table_names()
    }
    older = json.loads(json.dumps(export))
    older["schema"] = "87f3ddbd5a8d"
    older["tables"] = {name: rows for name, rows in older["tables"].items() if name in present}
    later = {
        name: {key for row in rows for key in row} - present[name]
        for name, rows in older["tables"].items()
    }
    older["tables"] = {name: _without(rows, later[name]) for name, rows in older["tables"].items()}
    return older, later


def _without(rows: list[dict[str, Any]], columns: set[str]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in columns} for row in rows]
