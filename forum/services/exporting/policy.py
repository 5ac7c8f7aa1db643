"""What the JSON export carries: every table and column, less secrets and working state.

The export is driven by the models' metadata, so a table or column added later is exported
without a change here. What must NOT leave the database is listed explicitly below; a test
makes every column whose name looks secret appear in one of these lists, so a new one gets
a decision before it ships (docs/export-format.md explains each).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import Any

from sqlalchemy import Column
from sqlalchemy import MetaData
from sqlalchemy import Table

from forum.models.user import new_session_token
from forum.services.site_settings import RARE_ROWS_KEY

FORMAT = "porch-export"
VERSION = 1

# Working state, not content: rebuilt or refilled by the app. Absent tables are fine.
# The mail outbox is left out too: its rendered bodies hold live password-reset links.
EXCLUDED_TABLES: frozenset[str] = frozenset(
    {
        "job",
        "huey_task",
        "mail_message",
        "mail_event",
        "mail_pending",
        "mail_throttle",
        "webhook_delivery",
    }
    | {"api_token"}  # credentials: members make new API tokens on the restored site
)


# Working state in a table that is otherwise content: rows left out by their key.
EXCLUDED_ROWS: dict[tuple[str, str], frozenset[str]] = {
    ("setting", "key"): frozenset({RARE_ROWS_KEY}),  # a token the triggers renew (rare_rows.py)
}


def kept_row(table: str, row: dict[str, Any]) -> bool:
    """False for a row of EXCLUDED_ROWS."""
    return not any(
        table == name and row.get(column) in keys for (name, column), keys in EXCLUDED_ROWS.items()
    )


def _nothing() -> None:
    return None


# Credentials: left out of the file; a restore writes a safe value in their place.
WITHHELD: dict[tuple[str, str], Callable[[], Any]] = {
    ("user", "password_hash"): _nothing,  # owners set a new one through password reset
    ("user", "session_token"): new_session_token,  # fresh: nobody stays signed in
    ("webhook", "secret"): lambda: secrets.token_hex(32),  # receivers get the new one
}

# Guest browser tokens are bearer secrets too, but they also tie a guest's replies, likes and
# reports together (moderation rules use that). The file keeps a one-way pseudonym instead.
PSEUDONYMISED: frozenset[tuple[str, str]] = frozenset(
    {("reply", "guest_token"), ("like", "guest_token"), ("flag", "reporter_token")}
)
PSEUDONYM_PREFIX = "~"  # never produced by secrets.token_urlsafe, so no browser holds one

# Looked at and found harmless although the name sounds secret.
NOT_SECRET: frozenset[tuple[str, str]] = frozenset(
    {
        ("spam_token", "token"),  # a word the spam filter counts
        ("setting", "key"),  # a setting's name
        ("reply", "body_hash"),  # a digest of the reply's own text, to find repeats by index
    }
)


def pseudonym(token: str | None) -> str | None:
    """A stable stand-in for a guest token; one already made is kept, so restores round-trip."""
    if token is None or token.startswith(PSEUDONYM_PREFIX):
        return token
    return PSEUDONYM_PREFIX + hashlib.sha256(token.encode()).hexdigest()[:42]


def exported_tables(metadata: MetaData) -> list[Table]:
    """Tables in dependency order (a row's foreign keys point to tables before it)."""
    return [table for table in metadata.sorted_tables if table.name not in EXCLUDED_TABLES]


def exported_columns(table: Table) -> list[Column[Any]]:
    """The table's columns in declaration order, less the withheld ones."""
    return [column for column in table.columns if (table.name, column.name) not in WITHHELD]


def withheld_columns(table: Table) -> list[str]:
    return [column.name for column in table.columns if (table.name, column.name) in WITHHELD]


def is_pseudonymised(table: Table, column: Column[Any]) -> bool:
    return (table.name, column.name) in PSEUDONYMISED
