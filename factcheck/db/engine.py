"""The one place where database connections are configured.

SQLite: foreign keys on for every connection, WAL so readers never block writers, a busy timeout
so concurrent writers wait instead of failing, and `BEGIN IMMEDIATE` for write transactions so a
read-then-write never deadlocks on lock upgrade. Read-only sessions begin with a plain (deferred)
`BEGIN` and never hold the write lock.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from factcheck.errors import DatabaseProblem
from factcheck.sqlite_direct import BUSY_TIMEOUT_MS, DEFAULT_DB

# Execution option that marks a connection's transactions as read-only (deferred BEGIN).
READONLY = "factcheck_readonly"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def resolve_url(db: str | None = None) -> URL:
    """`--db`, else FACTCHECK_DB, else ./factcheck.db; a value with `://` is a SQLAlchemy URL."""
    value = db or os.environ.get("FACTCHECK_DB") or DEFAULT_DB
    if "://" in value:
        try:
            return make_url(value)
        except ArgumentError as exc:
            raise DatabaseProblem(f"not a valid database URL: {value!r}") from exc
    path = Path(value).expanduser()
    if path.is_dir():
        raise DatabaseProblem(f"{value} is a directory, not a database file")
    if not path.parent.exists():
        raise DatabaseProblem(f"directory {path.parent} does not exist (database {value})")
    return URL.create("sqlite", database=str(path.resolve()))


def describe(url: URL) -> str:
    """How to show a database location to the user (never with a password)."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def make_engine(url: URL) -> Engine:
    backend = url.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseProblem(
            f"unsupported database URL scheme {url.drivername!r}",
            hint="use a SQLite file path or a postgresql+psycopg:// URL",
        )
    if backend == "postgresql":
        try:
            return create_engine(url, pool_pre_ping=True)
        except NoSuchModuleError as exc:
            raise DatabaseProblem(f"unsupported database URL scheme {url.drivername!r}") from exc
        except ImportError as exc:
            raise DatabaseProblem(
                f"the driver for {url.drivername!r} is not installed ({exc.name})",
                hint="for PostgreSQL: pip install 'factcheck[postgres]'",
            ) from exc
    engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    event.listen(engine, "connect", _configure_sqlite_connection)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _configure_sqlite_connection(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # We emit BEGIN ourselves (see _begin_sqlite_transaction); pysqlite's own transaction
    # handling would otherwise commit before DDL and begin lazily in the wrong mode.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            cursor.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        raise DatabaseProblem(
            f"cannot open the database: {exc}",
            hint="is it a SQLite file written by factcheck?",
        ) from exc
    finally:
        cursor.close()


def _begin_sqlite_transaction(connection: Connection) -> None:
    mode = "DEFERRED" if connection.get_execution_options().get(READONLY) else "IMMEDIATE"
    connection.exec_driver_sql(f"BEGIN {mode}")


def set_migration_mode(connection: Connection, migrating: bool) -> None:
    """SQLite settings for schema changes, switched outside any transaction.

    Foreign keys off, so that a table rebuild (copy, drop, rename) cannot cascade-delete child
    rows (the pragma is a no-op inside a transaction); legacy ALTER TABLE, so that renaming the
    rebuilt table is not refused for views that name it while the old one is gone.
    """
    if connection.dialect.name != "sqlite":
        return
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA foreign_keys = {'OFF' if migrating else 'ON'}")
    raw.execute(f"PRAGMA legacy_alter_table = {'ON' if migrating else 'OFF'}")
