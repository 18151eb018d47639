"""The Datasette plugin (entry point group `datasette`).

Datasette finds the claims' search index on its own (migration 0012) and turns `_search=` into
`claim_search MATCH escape_fts(:search)`, `escape_fts` being a SQL function it registers on
every connection: quoting each word of the query as typed. The index holds folded words, so a
query is only found there once folded the same way (`Soleimani's` is indexed as `soleimanis`).
On a factcheck database the plugin registers its own `escape_fts`, after Datasette's (trylast),
giving the expression `factcheck search` uses: `_search=` then finds what it finds.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from datasette import hookimpl

from factcheck.db import sql_functions


def is_factcheck_database(connection: sqlite3.Connection) -> bool:
    """Whether the database has factcheck's search index (any other keeps Datasette's own
    `escape_fts`)."""
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'claim_search' AND rootpage = 0"
    ).fetchone()
    return found is not None


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    sql_functions.register(conn)
    if is_factcheck_database(conn):
        conn.create_function("escape_fts", 1, sql_functions.match_sql)
