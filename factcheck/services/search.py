"""Full-text search over claims and their quotes, names included; any string is a valid query.

A query is read as words (folded, db/sql_functions.py). A run of them that is a name, a spelling
of an entity (compared as `--entity` compares names: ignoring case, accents and apostrophes, and
here the punctuation between words too) or a claimant's name, is one term of the query, which a
claim meets in any of these ways:

- its text or quotes hold the words typed (each as a word or a word's prefix, as any other word
  of the query), or another spelling of the entity, its words in that order;
- it mentions the entity (`claim_entities`);
- one of its appearances is said by that claimant, or by a claimant spelt as one of the
  entity's spellings.

Every other word must occur in the text or quotes. Runs are read left to right, the longest name
first. The claims that match in their text come first, ranked as every search is; then those
found only through a mention or a claimant, newest first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from factcheck.db.sql_functions import fts_expression, query_terms, words
from factcheck.db.store import Store, ids_list, values_list
from factcheck.schemas import ClaimFilter, ClaimOut, Page, PageIn
from factcheck.services.claim_rows import claims_in_order
from factcheck.services.claims import claim_condition, claimant_names
from factcheck.services.entities import entities_starting, entity_keys
from factcheck.services.paging import bounds, page_of

# query_terms and fts_expression live beside the SQL function (factcheck_match) that gives
# Datasette and sqlite-utils the same expression for a query without names.


@dataclass(frozen=True)
class Name:
    """A name in a query: the words typed, the other spellings of the entities it names (each a
    phrase of words), those entities, and the claimants it names as their appearances spell
    them."""

    typed: tuple[str, ...]
    spellings: tuple[tuple[str, ...], ...] = ()
    entity_ids: tuple[int, ...] = ()
    claimants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    """A query as search reads it: its words that are no name, and its names."""

    words: tuple[str, ...]
    names: tuple[Name, ...] = field(default=())

    def __bool__(self) -> bool:
        return bool(self.words or self.names)


def plain_query(query: str) -> Query:
    """A query read without looking for names: every word is a word."""
    return Query(tuple(query_terms(query)))


def read_query(store: Store, query: str) -> Query:
    """A query with its names found (see the module's docstring)."""
    terms = query_terms(query)
    if not terms:
        return Query(())
    spelt: dict[tuple[str, ...], set[int]] = {}
    for key, entity_id in entities_starting(store, set(terms)):
        spelt.setdefault(tuple(words(key)), set()).add(entity_id)
    # Every spelling of the entities the query may name: a claimant spelt as any of them is one.
    spellings: dict[int, list[tuple[str, ...]]] = {}
    for key, entity_id in entity_keys(store, {i for ids in spelt.values() for i in ids}):
        spellings.setdefault(entity_id, []).append(tuple(words(key)))
    among = {*terms, *(w for runs in spellings.values() for run in runs for w in run)}
    claimants = claimant_names(store, among)
    longest = max([len(run) for run in spelt] + [len(key.split()) for key in claimants] + [0])
    plain: list[str] = []
    names: list[Name] = []
    start = 0
    while start < len(terms):
        for end in range(min(len(terms), start + longest), start, -1):
            run = tuple(terms[start:end])
            if run in spelt or " ".join(run) in claimants:
                entity_ids = sorted(spelt.get(run, ()))
                runs = [run, *(r for i in entity_ids for r in spellings.get(i, ()))]
                said_by = {c: None for r in runs for c in claimants.get(" ".join(r), ())}
                others = tuple(dict.fromkeys(r for r in runs if r != run and r))
                names.append(Name(run, others, tuple(entity_ids), tuple(said_by)))
                start = end
                break
        else:
            plain.append(terms[start])
            start += 1
    # A name said twice is one term.
    return Query(tuple(plain), tuple(dict.fromkeys(names)))


def tsquery_word(term: str, prefix: bool = True) -> str:
    """A term as a quoted tsquery lexeme (quotes and backslashes escaped, so no character is read
    as tsquery syntax), matching words it starts if `prefix`."""
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")


def _balanced(parts: Sequence[str], operator: str) -> str:
    """`parts` joined by a binary operator as a balanced tree: SQLite refuses an expression
    deeper than 1,000, which a chain of the names of a long query would be."""
    if len(parts) == 1:
        return parts[0]
    middle = len(parts) // 2
    return f"({_balanced(parts[:middle], operator)}{operator}{_balanced(parts[middle:], operator)})"


def _expression(dialect: str, query: Query, names: Sequence[Name] | None = None) -> str:
    """The full-text expression that a claim's text meets: every word of the query, and for
    each name (all of the query's unless `names` says which) the words typed or a spelling."""
    if dialect == "postgresql":
        every, either = " & ", " | "

        def all_of(terms: Sequence[str]) -> str:
            return every.join(tsquery_word(term) for term in terms)

        def phrase(terms: Sequence[str]) -> str:
            return " <-> ".join(tsquery_word(t, i == len(terms) - 1) for i, t in enumerate(terms))
    else:
        # Words side by side (FTS5's implicit AND between phrases, flat however many) and
        # parenthesised expressions joined by AND.
        every, either = " AND ", " OR "

        def all_of(terms: Sequence[str]) -> str:
            return fts_expression(list(terms))

        def phrase(terms: Sequence[str]) -> str:
            return '"' + " ".join(terms) + '"*'

    parts = [all_of(query.words)] if query.words else []
    for name in query.names if names is None else names:
        ways = [f"({all_of(name.typed)})", *(phrase(run) for run in name.spellings)]
        parts.append(f"({_balanced(ways, either)})")
    return _balanced(parts, every)


@dataclass(frozen=True)
class TextMatch:
    """The claims whose text meets a full-text expression, among those passing the filters: the
    FROM and WHERE clauses, the columns to select for ranking them (`rowid` first), the ORDER
    BY ranking them best first (ties: oldest first), and the parameters of all three."""

    where: str
    columns: str
    ranked: str
    params: dict[str, object]


def _in_text(dialect: str, parameter: str) -> str:
    """The condition on `claim_search` that its text meets the expression `:parameter`."""
    if dialect == "postgresql":
        return f"document @@ to_tsquery('simple', :{parameter})"
    return f"claim_search MATCH :{parameter}"


def text_match(
    dialect: str,
    query: Query,
    condition: str | None = None,
    params: dict[str, object] | None = None,
) -> TextMatch:
    """The claims whose text meets every term of `query` and (if given) `condition` on
    `claims`, with its `params`."""
    where = f"FROM claim_search WHERE {_in_text(dialect, 'q')}"
    if condition is not None:
        where += f" AND rowid IN (SELECT id FROM claims WHERE {condition})"
    every = {**(params or {}), "q": _expression(dialect, query)}
    if dialect == "postgresql":
        return TextMatch(
            where,
            "rowid, document",
            "ORDER BY ts_rank(document, to_tsquery('simple', :q)) DESC, rowid",
            every,
        )
    return TextMatch(where, "rowid, rank", "ORDER BY rank, rowid", every)


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


def ranked_matches(
    match: TextMatch, limit: int | None, offset: int = 0
) -> tuple[str, dict[str, object]]:
    """The SQL (and its parameters) giving the matching claim ids, best first (ties: oldest
    first): every one; or with a limit, at most `limit` after the first `offset` of the newest
    `window(limit)` matches, which are all that is ranked."""
    params = dict(match.params)
    matches = f"SELECT {match.columns} {match.where}"
    if limit is None:
        return f"SELECT rowid FROM ({matches}) AS matches {match.ranked}", params
    params.update(window=window(limit), limit=limit, offset=offset)
    # A subquery with its own ORDER BY and LIMIT is not flattened: only the window is ranked.
    sql = (
        f"SELECT rowid FROM ({matches} ORDER BY rowid DESC LIMIT :window) AS matches "
        f"{match.ranked} LIMIT :limit OFFSET :offset"
    )
    return sql, params


def newest_matches(match: TextMatch, limit: int, offset: int) -> tuple[str, dict[str, object]]:
    """The SQL (and its parameters) giving the matching claim ids newest first, unranked: at
    most `limit` after the first `offset` (the matches beyond a page's window)."""
    params = {**match.params, "limit": limit, "offset": offset}
    return f"SELECT rowid {match.where} ORDER BY rowid DESC LIMIT :limit OFFSET :offset", params


def match_count(match: TextMatch) -> tuple[str, dict[str, object]]:
    """The SQL (and its parameters) counting the matching claims, without ranking them."""
    return f"SELECT count(*) {match.where}", dict(match.params)


def _named_only(
    dialect: str, query: Query, condition: str | None, params: dict[str, object]
) -> tuple[str, dict[str, object]] | None:
    """The SQL (and its parameters) selecting, newest first, the claims passing `condition` that
    meet every term of the query, at least one of its names through a mention or a claimant
    rather than their text (so not among the text matches); None when no name of the query
    names an entity or a claimant."""
    if not any(name.entity_ids or name.claimants for name in query.names):
        return None

    def in_text(parameter: str) -> str:
        return f"claims.id IN (SELECT rowid FROM claim_search WHERE {_in_text(dialect, parameter)})"

    params = {**params, "q": _expression(dialect, query)}
    where = [f"NOT {in_text('q')}"]
    if condition is not None:
        where.append(condition)
    if query.words:
        params["q_words"] = _expression(dialect, Query(query.words))
        where.append(in_text("q_words"))
    for n, name in enumerate(query.names):
        params[f"q_name{n}"] = _expression(dialect, Query(()), [name])
        ways = [in_text(f"q_name{n}")]
        if name.entity_ids:
            marks, ids = ids_list(f"n{n}_entity", name.entity_ids)
            params.update(ids)
            ways.append(
                f"claims.id IN (SELECT claim_id FROM claim_entities WHERE entity_id IN ({marks}))"
            )
        if name.claimants:
            marks, said_by = values_list(f"n{n}_claimant", name.claimants)
            params.update(said_by)
            ways.append(
                f"claims.id IN (SELECT claim_id FROM appearances WHERE claimant IN ({marks}))"
            )
        where.append(f"({' OR '.join(ways)})")  # at most three ways
    return f"SELECT id FROM claims WHERE {_balanced(where, ' AND ')} ORDER BY id DESC", params


def search(
    store: Store, query: str, page: PageIn, filters: ClaimFilter | None = None
) -> Page[ClaimOut]:
    """Claims whose text or quotes contain every word of the query (a name in it: any of its
    spellings, or a mention of the entity, or a claimant of that name), passing the filters,
    best match first."""
    matches = matching_ids(store, query, page, filters)
    # Only the page's matches are loaded, in one batch of set-based queries.
    return matches.with_items(claims_in_order(store, matches.items))


def matching_ids(
    store: Store, query: str, page: PageIn, filters: ClaimFilter | None = None
) -> Page[int]:
    """The ids of the claims that `search` gives, in its order."""
    condition, params = claim_condition(store, filters or ClaimFilter())
    read = read_query(store, query)
    if not read:
        return Page.model_construct(items=[], offset=page.offset)
    dialect = store.dialect
    match = text_match(dialect, read, condition, params)
    named = _named_only(dialect, read, condition, params)

    def ids(statement: tuple[str, dict[str, object]]) -> list[int]:
        return [row[0] for row in store.rows(*statement)]

    def in_text(offset: int, limit: int | None) -> list[int]:
        if limit is None:
            # Every match is ranked, and its id fetched, whatever the offset.
            return ids(ranked_matches(match, None))[offset:]
        ranked = window(limit)
        found = ids(ranked_matches(match, limit, offset)) if offset < ranked else []
        if offset + limit > ranked:
            start = max(offset, ranked)
            found += ids(newest_matches(match, offset + limit - start, start))
        return found

    text_count: list[int] = []

    def count_in_text() -> int:
        if not text_count:
            text_count.append(int(store.value(*match_count(match)) or 0))
        return text_count[0]

    def rows(offset: int, limit: int | None) -> list[int]:
        found = in_text(offset, limit)
        if named is None or (limit is not None and len(found) >= limit):
            return found
        # The page reaches past the text matches: the named-only matches follow them.
        start = 0 if found else max(offset - count_in_text(), 0)
        more = None if limit is None else limit - len(found)
        sql, named_params = named
        return found + ids((sql + bounds(store, start, more), named_params))

    def count() -> int:
        total = count_in_text()
        if named is not None:
            sql, named_params = named
            total += int(store.value(f"SELECT count(*) FROM ({sql}) AS named", named_params) or 0)
        return total

    return page_of(rows, count, page)
