"""Opening a SQLite database: factcheck's settings and SQL functions, without SQLAlchemy.

Every SQLite connection factcheck makes comes from `connect`: SQLAlchemy's engine gets its
connections from it (`creator=`), and so do the `Store` transactions of db/database.py, which
go straight through sqlite3 (importing SQLAlchemy costs more than what most commands do). So both
see the same settings: foreign keys on, WAL so readers never block writers, a busy timeout so
concurrent writers wait instead of failing, and the SQL functions that keep the history (called
by the database's own triggers: migrations/versions/0008, factcheck/db/write_rules.py) and the
search index (folding the claims the triggers queued, before every write commits:
REFRESH_SQLITE_SEARCH):

- `factcheck_fold(text)`: the folded search key (factcheck.text.fold), and
  `factcheck_match(query)`, the search expression of a query (db/sql_functions.py: the functions
  any reader may call, which factcheck's Datasette and sqlite-utils plugins register too);
- `factcheck_actor()`: who is writing, for the history;
- `factcheck_recording()`: whether writes are recorded in the history (off only while `db copy`
  writes rows that bring their own history).

A connection that lacks them (plain sqlite3, sqlite-utils, Datasette) can read everything, but a
write to an audited table fails with "no such function: factcheck_...": it can never change a row
without its history row (and the claims it would change are queued for the index).

Transactions are explicit: `BEGIN IMMEDIATE` for writes, so a read-then-write never deadlocks
on lock upgrade, and a plain deferred `BEGIN` for reads, which never take the write lock.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

from factcheck.db import sql_functions
from factcheck.errors import DatabaseProblem

DEFAULT_DB = "factcheck.db"
BUSY_TIMEOUT_MS = 60_000
# The newest revision in migrations/versions (db/migrate.py re-exports it);
# tests/db/test_migrations.py checks it is the migrations' single head.
HEAD_REVISION = "0018"


class Writer:
    """Who writes through a connection, and whether the history records it."""

    __slots__ = ("actor", "recording")

    def __init__(self) -> None:
        self.actor: str | None = None
        self.recording = True

    def get_actor(self) -> str | None:
        return self.actor

    def is_recording(self) -> int:
        return int(self.recording)


class Connection(sqlite3.Connection):
    """A SQLite connection with factcheck's settings and SQL functions."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The functions hold the writer, not the connection, so no reference cycle keeps a
        # closed connection alive.
        self.writer = Writer()
        sql_functions.register(self)
        self.create_function("factcheck_actor", 0, self.writer.get_actor)
        self.create_function("factcheck_recording", 0, self.writer.is_recording)

    def send(self, sql: str, parameters: Any = ()) -> None:
        """A statement whose result nobody reads (the bulk inserts): run here and now; the
        import's writer process (db/writer_process.py) runs it while the caller goes on."""
        self.execute(sql, parameters)

    def held(self) -> AbstractContextManager[None]:
        """The statements sent within run at once, here; the writer process's may wait for the
        next look-up (db/writer_process.py)."""
        return nullcontext()

    def overtaking(self) -> AbstractContextManager[None]:
        """Calls within are answered in turn, here (see `held`)."""
        return nullcontext()


def connect(path: str | Path, *, create: bool = True) -> Connection:
    """A configured connection to the SQLite file at `path` (created if missing, unless not
    `create`). Raises sqlite3.Error when the file is not a usable SQLite database."""
    mode = "rwc" if create else "rw"
    connection = sqlite3.connect(
        f"{Path(path).resolve().as_uri()}?mode={mode}",
        uri=True,
        timeout=BUSY_TIMEOUT_MS / 1000,
        # factcheck emits BEGIN itself (see `transaction`): pysqlite's own transaction handling
        # would commit before DDL and begin lazily in the wrong mode.
        isolation_level=None,
        factory=Connection,
        check_same_thread=False,
    )
    assert isinstance(connection, Connection)
    try:
        connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        connection.execute("PRAGMA foreign_keys = ON")
        if connection.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            connection.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error:
        connection.close()
        raise
    return connection


def chosen_database(db: str | None) -> str:
    """`--db`, else FACTCHECK_DB, else ./factcheck.db: a SQLite file path, or a URL with `://`."""
    return db or os.environ.get("FACTCHECK_DB") or DEFAULT_DB


def resolve_path(value: str) -> Path:
    """The SQLite file a `--db` value that is not a URL names (absolute), or DatabaseProblem."""
    path = Path(value).expanduser()
    if path.is_dir():
        raise DatabaseProblem(f"{value} is a directory, not a database file")
    if not path.parent.exists():
        raise DatabaseProblem(f"directory {path.parent} does not exist (database {value})")
    return path.resolve()


def current_revision(connection: sqlite3.Connection) -> str | None:
    """The schema revision of the SQLite database open on `connection`; None when it has none
    (the SQLAlchemy path then creates it or explains the problem)."""
    try:
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        return None
    return str(rows[0][0]) if len(rows) == 1 else None


def search_text(dialect: str) -> str:
    """SQL for what the search index holds of the claim `c` (a row of `claims AS c`), before
    folding: its text, then its quotes in appearance order, a line each."""
    if dialect == "sqlite":
        quotes = (
            "(SELECT group_concat(quote, char(10)) FROM (SELECT quote FROM appearances "
            "WHERE claim_id = c.id AND quote IS NOT NULL ORDER BY id))"
        )
        return f"c.text || coalesce(char(10) || {quotes}, '')"
    quotes = (
        "(SELECT string_agg(quote, chr(10) ORDER BY id) FROM appearances "
        "WHERE claim_id = c.id AND quote IS NOT NULL)"
    )
    return f"c.text || coalesce(chr(10) || {quotes}, '')"


# The claims the write-rule triggers queued, folded into the search index, then the queue
# emptied: what every factcheck write transaction runs on SQLite before it commits. Only claims
# up to the highest the index holds can be in it (new claims get higher ids): a lookup in the
# index per claim otherwise, a fifth of an import's refresh.
REFRESH_SQLITE_SEARCH = (
    "DELETE FROM claim_search WHERE rowid IN (SELECT claim_id FROM claim_search_pending "
    "WHERE claim_id <= (SELECT rowid FROM claim_search ORDER BY rowid DESC LIMIT 1))",
    "INSERT INTO claim_search (rowid, body) "
    f"SELECT c.id, factcheck_fold({search_text('sqlite')}) FROM claims AS c "
    "WHERE c.id IN (SELECT claim_id FROM claim_search_pending) ORDER BY c.id",
    "DELETE FROM claim_search_pending",
)


@contextmanager
def transaction(connection: sqlite3.Connection, write: bool = True) -> Iterator[sqlite3.Connection]:
    """One transaction, committed whole or not at all: BEGIN IMMEDIATE to write, as every
    factcheck write (a read-then-write never deadlocks upgrading its lock), the claims it changed
    folded into the search index before it commits; a deferred BEGIN to read, which never takes
    the write lock."""
    connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
    try:
        yield connection
        if write:
            for statement in REFRESH_SQLITE_SEARCH:
                connection.execute(statement)
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")
