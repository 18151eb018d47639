"""Both backends find the same claims: all of LIAR imported into SQLite and into a real
PostgreSQL server, then searched alike, for words joined by dots, slashes and other punctuation
("florida.and", "and/or", URLs) as much as for plain words and names."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from factcheck.db.database import Database
from factcheck.db.store import Store
from factcheck.schemas import PageIn
from factcheck.services.search import matching_ids
from tests.helpers import REPO, ok

LIAR = REPO.parent / "shared" / "data" / "liar"
SPLITS = ("train.tsv", "valid.tsv", "test.tsv")

# Queries of every kind: plain words, prefixes, names (LIAR's speakers are entities and
# claimants, also spelt as their slugs), punctuation typed by hand.
QUERIES = (
    "tax",
    "health care",
    "obam",
    "Barack Obama",
    "barack-obama",
    "Obama tax",
    "Scott Walker jobs",
    "U.S.",
    "9/11",
    "$1.5 billion",
    "50 percent",
    "co-op",
    "e-mail",
    "well-known",
    "www",
    "http://www",
    ".com",
    "Perry's",
    "o'rourke",
    "AND OR NOT",
    '"quoted" (words)',
    "café",
)
# Words joined by punctuation within a word (between letters or digits), as LIAR's statements
# write them: PostgreSQL's own parser read many of these as one word. Those joined by dots,
# slashes, colons or @ (URLs, "and/or", "U.N.") are all asked; of the rest (hyphens,
# underscores), one in ten.
_JOINED = re.compile(r"\w+(?:[./:@_-]\w+)+")
_DOTTED = re.compile(r"[./:@]")


def _ids(db: str, query: str) -> set[int]:
    return {claim["id"] for claim in ok("--db", db, "search", "--json", "--", query).json()}


def _matching(store: Store, query: str) -> set[int]:
    """What `_ids` gives (every match, as `search --json` lists them), asked of the search
    service through an open store: the hundreds of queries compare the matches, not the CLI's
    rendering of them, which costs several times the search."""
    return set(matching_ids(store, query, PageIn()).items)


@pytest.mark.slow  # all 12,836 rows of LIAR, imported twice
@pytest.mark.skipif(not LIAR.is_dir(), reason="../shared/data is not beside the repo")
def test_liar_is_found_alike_on_sqlite_and_postgresql(tmp_path: Path, pg_url: str) -> None:
    lite = str(tmp_path / "liar.db")
    for db in (lite, pg_url):
        for split in SPLITS:
            ok("--db", db, "import", str(LIAR / split))
    statements = [
        line.split("\t")[2]
        for split in SPLITS
        for line in (LIAR / split).read_text(encoding="utf-8").splitlines()
        if line.count("\t") >= 2
    ]
    joined = sorted({word for text in statements for word in _JOINED.findall(text)})
    assert {"and/or", "florida.and"} <= {word.lower() for word in joined}  # what this is about
    dotted = [word for word in joined if _DOTTED.search(word)]
    joined = dotted + [word for word in joined if not _DOTTED.search(word)][::10]
    differing: dict[str, tuple[set[int], set[int]]] = {}
    found = set()
    sqlite_db, postgresql_db = Database(lite, "tester"), Database(pg_url, "tester")
    try:
        with sqlite_db.store() as on_sqlite_store, postgresql_db.store() as on_postgresql_store:
            for query in (*QUERIES, *joined):  # ~420 queries
                on_sqlite = _matching(on_sqlite_store, query)
                on_postgresql = _matching(on_postgresql_store, query)
                found |= on_sqlite
                if on_sqlite != on_postgresql:
                    differing[query] = (on_sqlite - on_postgresql, on_postgresql - on_sqlite)
            # The command finds what the service does.
            for query in ("florida.and", "and/or", "Barack Obama"):
                assert _ids(lite, query) == _matching(on_sqlite_store, query) != set(), query
                assert _ids(pg_url, query) == _matching(on_postgresql_store, query), query
    finally:
        sqlite_db.close()
        postgresql_db.close()
    assert differing == {}
    # The queries find something: a comparison of two empty results would prove nothing.
    assert len(found) > 1000
