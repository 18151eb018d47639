"""Full-text search over claims and their quotes; any string is a valid query."""

from __future__ import annotations

import re

from sqlalchemy import func, or_, select, text
from sqlalchemy.orm import Session

from factcheck.models import Appearance, Claim
from factcheck.schemas import ClaimOut
from factcheck.services.claims import claims_by_id
from factcheck.text import fold

_WORD = re.compile(r"\w+")


def query_terms(query: str) -> list[str]:
    """The folded words of a query: operators, quotes and punctuation are never syntax."""
    return _WORD.findall(fold(query))


def fts_expression(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term must occur, as a word or a word's prefix."""
    return " ".join(f'"{term}"*' for term in terms)


def search(session: Session, query: str, limit: int | None = None) -> list[ClaimOut]:
    terms = query_terms(query)
    if not terms:
        return []
    if session.get_bind().dialect.name == "sqlite":
        sql = "SELECT rowid FROM claim_search WHERE claim_search MATCH :q ORDER BY rank"
        params: dict[str, object] = {"q": fts_expression(terms)}
        if limit is not None:
            sql += " LIMIT :limit"
            params["limit"] = limit
        ids = list(session.scalars(text(sql), params))
    else:
        quoted = select(Appearance.claim_id)
        conditions = [
            or_(
                func.lower(Claim.text).contains(term, autoescape=True),
                Claim.id.in_(
                    quoted.where(func.lower(Appearance.quote).contains(term, autoescape=True))
                ),
            )
            for term in terms
        ]
        ids = list(
            session.scalars(select(Claim.id).where(*conditions).order_by(Claim.id).limit(limit))
        )
    return claims_by_id(session, ids)
