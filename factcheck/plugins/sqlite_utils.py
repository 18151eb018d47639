"""The sqlite-utils plugin (entry point group `sqlite_utils`): factcheck's SQL functions on every
connection sqlite-utils opens, for `sqlite-utils query` and the Python API alike."""

from __future__ import annotations

import sqlite3

from sqlite_utils import hookimpl

from factcheck.db import sql_functions


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    sql_functions.register(conn)
