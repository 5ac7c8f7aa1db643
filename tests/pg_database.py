"""`python -m tests.pg_database create URL`: make the PostgreSQL test database if it is missing."""

from __future__ import annotations

import sys

import psycopg
from psycopg import sql


def create(url: str) -> None:
    """Connect to the server's `postgres` database and create the one the URL names."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = str(info.pop("dbname"))
    try:
        with psycopg.connect(**info, dbname="postgres", autocommit=True, connect_timeout=5) as conn:
            exists = conn.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
            ).fetchone()
            if not exists:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL is not reachable at {url}: {error}")


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] != "create":
        sys.exit("usage: python -m tests.pg_database create postgresql://user@host:port/dbname")
    create(sys.argv[2])
