"""The SQL functions of a factcheck database that any reader may call: factcheck's own
connections register them (db/connection.py), and so do its Datasette and sqlite-utils plugins
(factcheck/plugins), so that SQL typed there folds and searches as factcheck does:

- `factcheck_fold(text)`: the folded search key (factcheck.text.fold) that the search index and
  alias keys hold;
- `factcheck_match(query)`: the FTS5 MATCH expression `factcheck search` uses for a query: its
  folded words, each required as a word or a word's prefix
  (`claim_search MATCH factcheck_match('Soleimani''s')`).

The functions that let a connection write (the actor, the history switch) are not among them:
a write needs factcheck's transaction, which also folds the claims it changed into the index.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from factcheck.text import fold

# A word as the index's tokenizer (FTS5 unicode61) reads one: a run of letters, numbers and
# private-use characters (its token categories L*, N* and Co); everything else, the underscore and
# the combining marks included, separates words. PostgreSQL's parser would read "florida.and",
# "and/or", URLs, e-mail addresses and hyphenated words as words of their own, so its index is
# given these words, a space between each (index_words), and both backends find the same claims.
_WORD = re.compile(r"(?:[^\W_]|[\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd])+")


def words(folded: str) -> list[str]:
    """The words of folded text, as the search index reads them."""
    return _WORD.findall(folded)


def word_spans(folded: str) -> list[tuple[int, int]]:
    """Where each of the words of folded text starts and ends."""
    return [match.span() for match in _WORD.finditer(folded)]


def index_words(folded: str) -> str:
    """What PostgreSQL's index is given of folded text: its words, a space between each."""
    return " ".join(_WORD.findall(folded))


def query_terms(query: str) -> list[str]:
    """The folded words of a query: operators, quotes and punctuation are never syntax."""
    return words(fold(query))


def fts_expression(terms: list[str]) -> str:
    """An FTS5 MATCH expression: every term must occur, as a word or a word's prefix."""
    return " ".join(f'"{term}"*' for term in terms)


def match_expression(query: str) -> str:
    """The FTS5 MATCH expression of a query as `factcheck search` reads it; a query without a
    word matches nothing (an empty phrase), as it finds nothing there."""
    return fts_expression(query_terms(query)) or '""'


def fold_sql(value: Any) -> str | None:
    return None if value is None else fold(str(value))


def match_sql(value: Any) -> str | None:
    return None if value is None else match_expression(str(value))


def register(connection: sqlite3.Connection) -> None:
    """Register the functions on a SQLite connection."""
    connection.create_function("factcheck_fold", 1, fold_sql, deterministic=True)
    connection.create_function("factcheck_match", 1, match_sql, deterministic=True)
