"""Full-text search over claims and their quotes; any string is a valid query."""

from __future__ import annotations

import re

from sqlalchemy import text
from sqlalchemy.orm import Session

from factcheck.schemas import ClaimOut
from factcheck.services.claim_rows import claims_in_order
from factcheck.text import fold

_WORD = re.compile(r"\w+")


def query_terms(query: str) -> list[str]:
    """The folded words of a query: operators, quotes and punctuation are never syntax."""
    return _WORD.findall(fold(query))


def fts_expression(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term must occur, as a word or a word's prefix."""
    return " ".join(f'"{term}"*' for term in terms)


def tsquery_expression(terms: list[str]) -> str:
    """A PostgreSQL tsquery: every term as a quoted lexeme with a prefix match, all required.

    Terms are already plain words; quoting them as lexemes (quotes and backslashes escaped) keeps
    any character from being read as tsquery syntax.
    """
    return " & ".join("'" + term.replace("\\", "\\\\").replace("'", "''") + "':*" for term in terms)


def search(session: Session, query: str, limit: int | None = None) -> list[ClaimOut]:
    """Claims whose text or quotes contain every word of the query, best match first."""
    terms = query_terms(query)
    if not terms:
        return []
    if session.get_bind().dialect.name == "postgresql":
        sql = (
            "SELECT rowid FROM claim_search, to_tsquery('simple', :q) AS query "
            "WHERE document @@ query ORDER BY ts_rank(document, query) DESC, rowid"
        )
        params: dict[str, object] = {"q": tsquery_expression(terms)}
    else:
        sql = "SELECT rowid FROM claim_search WHERE claim_search MATCH :q ORDER BY rank"
        params = {"q": fts_expression(terms)}
    if limit is not None:
        sql += " LIMIT :limit"
        params["limit"] = limit
    # Only the (limited) matches are loaded, in one batch of set-based queries.
    return claims_in_order(session, list(session.scalars(text(sql), params)))
