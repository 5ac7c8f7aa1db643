"""The two engines behind one shape: how to match, rank and cut a snippet on each dialect.

Snippets mark hits with the control characters START and STOP (stripped from indexed text), so
the page can escape everything and only then turn them into `<mark>`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from typing import Protocol

from sqlalchemy import ColumnElement
from sqlalchemy import TableClause
from sqlalchemy import bindparam
from sqlalchemy import column
from sqlalchemy import func
from sqlalchemy import literal
from sqlalchemy import literal_column
from sqlalchemy import table
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import REGCONFIG

from forum.services.search.query import ParsedQuery
from forum.services.search.query import Term
from forum.services.search.query import fts5_query
from forum.services.search.schema import CONFIG
from forum.services.search.schema import TABLE

START, STOP = "\x01", "\x02"
SNIPPET_WORDS = 28


class Backend(Protocol):
    table: TableClause

    @property
    def key(self) -> ColumnElement[int]: ...

    def match(self, parsed: ParsedQuery) -> ColumnElement[bool]: ...

    def score(self, parsed: ParsedQuery) -> ColumnElement[float]: ...

    def snippet(self, parsed: ParsedQuery) -> ColumnElement[str]: ...


@dataclass
class SQLiteBackend:
    """FTS5: MATCH on the table, bm25() (lower is better), snippet()."""

    table: TableClause = table(TABLE, column("rowid"), column("post_id"), column("body"))

    @property
    def key(self) -> ColumnElement[int]:
        return self.table.c.rowid

    def match(self, parsed: ParsedQuery) -> ColumnElement[bool]:
        clause = text(f"{TABLE} MATCH :fts").bindparams(fts=fts5_query(parsed))
        return clause  # type: ignore[return-value]

    def score(self, parsed: ParsedQuery) -> ColumnElement[float]:
        return literal_column(f"bm25({TABLE}, 4.0, 1.0)")  # a title word weighs four body words

    def snippet(self, parsed: ParsedQuery) -> ColumnElement[str]:
        return literal_column(f"snippet({TABLE}, 1, char(1), char(2), '…', {SNIPPET_WORDS})")


def _term_query(term: Term) -> ColumnElement[Any]:
    config = literal(CONFIG, type_=REGCONFIG)
    if term.prefix:  # a single \w+ word, quoted for to_tsquery, then marked as a prefix
        return func.to_tsquery(config, bindparam(None, f"'{term.words[0]}':*"))
    return func.phraseto_tsquery(config, bindparam(None, " ".join(term.words)))


def tsquery(parsed: ParsedQuery) -> ColumnElement[Any]:
    """AND of the positive terms, AND NOT each negative one, built from functions, not text."""
    query = _term_query(parsed.positive[0])
    for term in parsed.positive[1:]:
        query = func.tsquery_and(query, _term_query(term))
    for term in parsed.negative:
        query = func.tsquery_and(query, func.tsquery_not(_term_query(term)))
    return query


@dataclass
class PostgreSQLBackend:
    """tsvector @@ tsquery (GIN), ts_rank_cd (higher is better), ts_headline."""

    table: TableClause = table(
        TABLE, column("doc_id"), column("post_id"), column("body"), column("tsv")
    )

    @property
    def key(self) -> ColumnElement[int]:
        return self.table.c.doc_id

    def match(self, parsed: ParsedQuery) -> ColumnElement[bool]:
        return self.table.c.tsv.op("@@")(tsquery(parsed))

    def score(self, parsed: ParsedQuery) -> ColumnElement[float]:
        # Negated so that, as with bm25, lower sorts first; 1 divides by the log of the length.
        return -func.ts_rank_cd(self.table.c.tsv, tsquery(parsed), 1)

    def snippet(self, parsed: ParsedQuery) -> ColumnElement[str]:
        options = (
            f"StartSel={START}, StopSel={STOP}, MaxWords={SNIPPET_WORDS}, MinWords=12, "
            'MaxFragments=2, FragmentDelimiter=" … "'
        )
        config = literal(CONFIG, type_=REGCONFIG)
        return func.ts_headline(config, self.table.c.body, tsquery(parsed), options)


def backend_for(dialect: str) -> Backend:
    return SQLiteBackend() if dialect == "sqlite" else PostgreSQLBackend()
