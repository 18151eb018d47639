"""Single commands on a current SQLite file through the standard library's sqlite3 alone.

Importing SQLAlchemy and configuring the mappers costs several times what adding one claim
does, and a researcher adds claims dozens of times an hour. A command with a direct path
(services/quick_add.py) first asks `open_current` for a connection. It gets one, configured as
db/engine.py configures SQLAlchemy's, only when the database is an existing SQLite file already
at the current schema revision and in WAL mode. Anything else (a URL, a file to create, an older
schema, an unreadable file) gets None, and the command takes the usual path, which creates,
migrates or reports the problem. Rows are written through `insert`, which records each row's
history as db/hooks.py does for the ORM; tests/services/test_quick_add.py holds the two paths to
the same rows.

This module also holds the settings both paths share, so that reading them imports nothing.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

DEFAULT_DB = "factcheck.db"
BUSY_TIMEOUT_MS = 60_000
# The newest revision in migrations/versions (db/migrate.py re-exports it);
# tests/db/test_migrations.py checks it is the migrations' single head.
HEAD_REVISION = "0007"


def database_path(db: str | None) -> Path | None:
    """The SQLite file `--db` (else FACTCHECK_DB, else ./factcheck.db) names, as db/engine.py
    resolves it, if it exists; None for a URL or a file still to be created."""
    value = db or os.environ.get("FACTCHECK_DB") or DEFAULT_DB
    if "://" in value:
        return None
    path = Path(value).expanduser()
    return path.resolve() if path.is_file() else None


def open_current(db: str | None) -> sqlite3.Connection | None:
    """A connection to the database if it is a SQLite file ready for use as it is, else None."""
    path = database_path(db)
    if path is None:
        return None
    try:
        # mode=rw: never create a file here; creating is the usual path's work.
        connection = sqlite3.connect(
            f"{path.as_uri()}?mode=rw",
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            isolation_level=None,
        )
    except sqlite3.Error:
        return None
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        ready = connection.execute("PRAGMA journal_mode").fetchone()[
            0
        ] == "wal" and connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            (HEAD_REVISION,)
        ]
    except sqlite3.Error:
        ready = False
    if not ready:
        connection.close()
        return None
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One write transaction, BEGIN IMMEDIATE as every factcheck write: committed whole or not
    at all."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def now() -> datetime:
    return datetime.now(UTC)


def _stored(value: Any) -> Any:
    # As models.UTCDateTime stores a timestamp on SQLite: naive UTC, microseconds always shown.
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    return value


def jsonable(value: Any) -> Any:
    """A column's value as the history's JSON holds it (db/hooks.py records the same)."""
    return value.isoformat() if isinstance(value, datetime | date) else value


# Each table's columns in order, read once: every database opened here is at HEAD_REVISION.
_COLUMNS: dict[str, list[str]] = {}


def _columns(connection: sqlite3.Connection, table: str) -> list[str]:
    if table not in _COLUMNS:
        _COLUMNS[table] = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')]
    return _COLUMNS[table]


def insert(
    connection: sqlite3.Connection, table: str, values: dict[str, Any], actor: str | None
) -> int:
    """Insert a row of an audited table and its `history` row; the new row's id.

    The history row holds every column of the new row, in the table's order, as the ORM hooks
    write it.
    """
    names = list(values)
    cursor = connection.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        [_stored(values[name]) for name in names],
    )
    row_id = cursor.lastrowid
    assert row_id is not None
    row = {**values, "id": row_id}
    new_values = {name: jsonable(row.get(name)) for name in _columns(connection, table)}
    connection.execute(
        "INSERT INTO history (at, actor, table_name, row_id, action, old_values, new_values) "
        "VALUES (?, ?, ?, ?, 'insert', NULL, ?)",
        [_stored(now()), actor, table, row_id, json.dumps(new_values)],
    )
    return row_id
