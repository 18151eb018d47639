"""SQLAlchemy's engine over factcheck's connections.

SQLite connections come from db/connection.py (settings and SQL functions in one place); write
transactions begin with `BEGIN IMMEDIATE`, read-only ones with a plain (deferred) `BEGIN`. Every
write transaction names its actor, for the history the database's triggers write: on SQLite
through the connection's `factcheck_actor()`, on PostgreSQL through the transaction-local setting
`factcheck.actor`.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError

from factcheck.db.connection import chosen_database, connect, resolve_path
from factcheck.errors import DatabaseProblem

# Execution option that marks a connection's transactions as read-only (deferred BEGIN).
READONLY = "factcheck_readonly"
# Execution option naming who writes, for the history.
ACTOR = "factcheck_actor"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def resolve_url(db: str | None = None) -> URL:
    """`--db`, else FACTCHECK_DB, else ./factcheck.db; a value with `://` is a SQLAlchemy URL."""
    value = chosen_database(db)
    if "://" in value:
        try:
            return make_url(value)
        except ArgumentError as exc:
            raise DatabaseProblem(f"not a valid database URL: {value!r}") from exc
    return URL.create("sqlite", database=str(resolve_path(value)))


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
            engine = create_engine(url, pool_pre_ping=True)
        except NoSuchModuleError as exc:
            raise DatabaseProblem(f"unsupported database URL scheme {url.drivername!r}") from exc
        except ImportError as exc:
            raise DatabaseProblem(
                f"the driver for {url.drivername!r} is not installed ({exc.name})",
                hint="for PostgreSQL: pip install 'factcheck[postgres]'",
            ) from exc
        event.listen(engine, "begin", _begin_postgresql_transaction)
        return engine
    path = url.database
    assert path is not None

    def creator() -> sqlite3.Connection:
        try:
            return connect(path)
        except sqlite3.DatabaseError as exc:
            raise DatabaseProblem(
                f"cannot open the database: {exc}",
                hint="is it a SQLite file written by factcheck?",
            ) from exc

    engine = create_engine(url, creator=creator)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _begin_sqlite_transaction(connection: Connection) -> None:
    options = connection.get_execution_options()
    if options.get(READONLY):
        connection.exec_driver_sql("BEGIN DEFERRED")
        return
    connection.exec_driver_sql("BEGIN IMMEDIATE")
    driver: Any = connection.connection.driver_connection
    driver.writer.actor = options.get(ACTOR)


def _begin_postgresql_transaction(connection: Connection) -> None:
    actor = connection.get_execution_options().get(ACTOR)
    if actor is not None:
        connection.exec_driver_sql(
            "SELECT set_config('factcheck.actor', %(actor)s, true)", {"actor": actor}
        )


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
