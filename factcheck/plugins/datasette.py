"""The Datasette plugin (entry point group `datasette`).

Datasette finds the claims' search index on its own (migration 0012) and turns `_search=` into
`claim_search MATCH escape_fts(:search)`, `escape_fts` being a SQL function it registers on
every connection: quoting each word of the query as typed. The index holds folded words, so a
query is only found there once folded the same way (`Soleimani's` is indexed as `soleimanis`).
On a factcheck database the plugin registers its own `escape_fts`, after Datasette's (trylast),
giving the expression `factcheck search` uses: `_search=` then finds what it finds.

It also describes a factcheck database's tables and views, and hides the search index's queue,
as `factcheck db metadata` does (get_metadata): no metadata file is needed.
"""

from __future__ import annotations

import sqlite3
from functools import cache
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


@cache
def _is_factcheck_file(path: str) -> bool:
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return is_factcheck_database(connection)
    except sqlite3.Error:
        return False
    finally:
        connection.close()


@cache
def _metadata() -> dict[str, Any]:
    from factcheck.services.metadata import database_metadata

    return database_metadata()


@hookimpl
def get_metadata(datasette: Any, key: Any, database: str | None, table: Any) -> Any:
    names = [database] if database is not None else list(datasette.databases)
    found = {}
    for name in names:
        served = datasette.databases.get(name)
        if served is not None and served.path and _is_factcheck_file(str(served.path)):
            found[name] = _metadata()
    return {"databases": found} if found else None


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection, database: str, datasette: Any) -> None:
    sql_functions.register(conn)
    if is_factcheck_database(conn):
        conn.create_function("escape_fts", 1, sql_functions.match_sql)
