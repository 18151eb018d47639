"""Full-text search over claims and their quotes; any string is a valid query."""

from __future__ import annotations

from factcheck.db.sql_functions import fts_expression, query_terms
from factcheck.db.store import Store
from factcheck.schemas import ClaimOut, Page, PageIn
from factcheck.services.claim_rows import claims_in_order
from factcheck.services.paging import page_of

# query_terms and fts_expression live beside the SQL function (factcheck_match) that gives
# Datasette and sqlite-utils the same expression.


def tsquery_expression(terms: list[str]) -> str:
    """A PostgreSQL tsquery: every term as a quoted lexeme with a prefix match, all required.

    Terms are already plain words; quoting them as lexemes (quotes and backslashes escaped) keeps
    any character from being read as tsquery syntax.
    """
    return " & ".join("'" + term.replace("\\", "\\\\").replace("'", "''") + "':*" for term in terms)


# A page of matches (with a limit) ranks the newest RANK_WINDOW of them (or as many as the page
# holds, if more); the pages after those list the older matches newest first, so that paging
# through a search with --offset sees every match once. Without a limit every match is ranked.
# Ranking costs a few microseconds a match, and finding the matches far less: a word that is in a
# quarter of a million claims took 450 ms to rank and 30 ms to rank within the window. The
# newest matches are the ones a fact-checker usually wants among so many.
RANK_WINDOW = 5000


def window(limit: int) -> int:
    """How many of the newest matches pages of `limit` rank."""
    return max(RANK_WINDOW, limit)


def _matches(dialect: str, terms: list[str]) -> tuple[str, str, str, dict[str, object]]:
    """How to find the matching claims: the FROM and WHERE clauses, the columns to select for
    ranking them (`rowid` first), the ORDER BY ranking them best first (ties: oldest first), and
    the parameters of all three."""
    if dialect == "postgresql":
        return (
            "FROM claim_search WHERE document @@ to_tsquery('simple', :q)",
            "rowid, document",
            "ORDER BY ts_rank(document, to_tsquery('simple', :q)) DESC, rowid",
            {"q": tsquery_expression(terms)},
        )
    return (
        "FROM claim_search WHERE claim_search MATCH :q",
        "rowid, rank",
        "ORDER BY rank, rowid",
        {"q": fts_expression(terms)},
    )


def ranked_matches(
    dialect: str, terms: list[str], limit: int | None, offset: int = 0
) -> tuple[str, dict[str, object]]:
    """The SQL (and its parameters) giving the matching claim ids, best first (ties: oldest
    first): every one; or with a limit, at most `limit` after the first `offset` of the newest
    `window(limit)` matches, which are all that is ranked."""
    where, columns, ranked, params = _matches(dialect, terms)
    matches = f"SELECT {columns} {where}"
    if limit is None:
        return f"SELECT rowid FROM ({matches}) AS matches {ranked}", params
    params.update(window=window(limit), limit=limit, offset=offset)
    # A subquery with its own ORDER BY and LIMIT is not flattened: only the window is ranked.
    sql = (
        f"SELECT rowid FROM ({matches} ORDER BY rowid DESC LIMIT :window) AS matches "
        f"{ranked} LIMIT :limit OFFSET :offset"
    )
    return sql, params


def newest_matches(
    dialect: str, terms: list[str], limit: int, offset: int
) -> tuple[str, dict[str, object]]:
    """The SQL (and its parameters) giving the matching claim ids newest first, unranked: at
    most `limit` after the first `offset` (the matches beyond a page's window)."""
    where, _, _, params = _matches(dialect, terms)
    params.update(limit=limit, offset=offset)
    return f"SELECT rowid {where} ORDER BY rowid DESC LIMIT :limit OFFSET :offset", params


def match_count(dialect: str, terms: list[str]) -> tuple[str, dict[str, object]]:
    """The SQL (and its parameters) counting the matching claims, without ranking them."""
    where, _, _, params = _matches(dialect, terms)
    return f"SELECT count(*) {where}", params


def search(store: Store, query: str, page: PageIn) -> Page[ClaimOut]:
    """Claims whose text or quotes contain every word of the query, best match first."""
    terms = query_terms(query)
    if not terms:
        return Page.model_construct(items=[], offset=page.offset)
    dialect = store.dialect

    def ids(statement: tuple[str, dict[str, object]]) -> list[int]:
        return [row[0] for row in store.rows(*statement)]

    def rows(offset: int, limit: int | None) -> list[int]:
        if limit is None:
            # Every match is ranked, and its id fetched, whatever the offset.
            return ids(ranked_matches(dialect, terms, None))[offset:]
        ranked = window(limit)
        found = ids(ranked_matches(dialect, terms, limit, offset)) if offset < ranked else []
        if offset + limit > ranked:
            start = max(offset, ranked)
            found += ids(newest_matches(dialect, terms, offset + limit - start, start))
        return found

    def count() -> int:
        return int(store.value(*match_count(dialect, terms)) or 0)

    matches = page_of(rows, count, page)
    # Only the page's matches are loaded, in one batch of set-based queries.
    return matches.with_items(claims_in_order(store, matches.items))
