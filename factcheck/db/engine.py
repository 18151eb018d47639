"""SQLAlchemy's engine over factcheck's connections.

SQLite connections come from db/connection.py (settings and SQL functions in one place); write
transactions begin with `BEGIN IMMEDIATE`, read-only ones with a plain (deferred) `BEGIN`. Every
write transaction names its actor, for the history the database's triggers write: on SQLite
through the connection's `factcheck_actor()`, on PostgreSQL through the transaction-local setting
`factcheck.actor`.
"""

from __future__ import annotations

import math
import os
import sqlite3
import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError
from sqlalchemy.pool import NullPool

from factcheck.db.connection import chosen_database, connect, resolve_path
from factcheck.errors import DatabaseProblem

# Execution option that marks a connection's transactions as read-only (deferred BEGIN).
READONLY = "factcheck_readonly"
# Execution option naming who writes, for the history.
ACTOR = "factcheck_actor"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")

# Seconds to wait for a PostgreSQL server to accept a connection, and for it to finish one
# statement: a hung, unreachable or locked server then fails the command in one line instead of
# freezing it. Set in the environment; 0 waits for ever. A server still starting up is asked
# again for a few seconds before the command gives up.
CONNECT_TIMEOUT = ("FACTCHECK_PG_CONNECT_TIMEOUT", 10.0)
STATEMENT_TIMEOUT = ("FACTCHECK_PG_STATEMENT_TIMEOUT", 60.0)
STARTING_UP_WAIT = 5.0


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


def make_engine(url: URL, writer_process: bool = False) -> Engine:
    """The engine of a database URL; with `writer_process`, on SQLite, its connections' statements
    run in a process of their own (db/writer_process.py)."""
    backend = url.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise DatabaseProblem(
            f"unsupported database URL scheme {url.drivername!r}",
            hint="use a SQLite file path or a postgresql+psycopg:// URL",
        )
    if backend == "postgresql":
        try:
            engine = create_engine(url, pool_pre_ping=True, connect_args=_timeouts(url))
        except NoSuchModuleError as exc:
            raise DatabaseProblem(f"unsupported database URL scheme {url.drivername!r}") from exc
        except ImportError as exc:
            raise DatabaseProblem(
                f"the driver for {url.drivername!r} is not installed ({exc.name})",
                hint="for PostgreSQL: pip install 'factcheck[postgres]'",
            ) from exc
        event.listen(engine, "begin", _begin_postgresql_transaction)
        event.listen(engine, "do_connect", _connect_when_started)
        event.listen(engine, "handle_error", _postgresql_error)
        return engine
    path = url.database
    assert path is not None

    def creator() -> Any:
        if writer_process:
            from factcheck.db.writer_process import ProcessConnection

            return ProcessConnection(path)
        try:
            return connect(path)
        except sqlite3.DatabaseError as exc:
            raise DatabaseProblem(
                f"cannot open the database: {exc}",
                hint="is it a SQLite file written by factcheck?",
            ) from exc

    # A writer process is started for a connection and stops when it closes (NullPool).
    pool = {"poolclass": NullPool} if writer_process else {}
    engine = create_engine(url, creator=creator, **pool)
    event.listen(engine, "begin", _begin_sqlite_transaction)
    return engine


def _seconds(setting: tuple[str, float]) -> float:
    name, default = setting
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not (math.isfinite(seconds) and seconds >= 0):
        raise DatabaseProblem(f"{name} must be a number of seconds (0: no limit), not {value!r}")
    return seconds


def _timeouts(url: URL) -> dict[str, Any]:
    """libpq's connect timeout (whole seconds, at least 2 as libpq takes them) and the server's
    statement timeout, unless the URL sets them itself."""
    settings: dict[str, Any] = {}
    connect = _seconds(CONNECT_TIMEOUT)
    if connect and "connect_timeout" not in url.query:
        settings["connect_timeout"] = max(2, math.ceil(connect))
    statement = _seconds(STATEMENT_TIMEOUT)
    options = url.query.get("options", "")
    options = options if isinstance(options, str) else " ".join(options)
    if "statement_timeout" not in options:
        settings["options"] = f"{options} -c statement_timeout={round(statement * 1000)}".strip()
    return settings


def _connect_when_started(
    dialect: Any, record: Any, cargs: tuple[Any, ...], cparams: dict[str, Any]
) -> Any:
    """Connect; a server that answers that it is starting up is asked again for a few
    seconds."""
    deadline = time.monotonic() + STARTING_UP_WAIT
    while True:
        try:
            return dialect.connect(*cargs, **cparams)
        except dialect.loaded_dbapi.OperationalError as exc:
            if "starting up" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _postgresql_error(context: Any) -> BaseException | None:
    """A server that cannot be reached, or that did not finish a statement in time, in one line
    naming the server and the setting (other errors are left as they are)."""
    server = describe(context.engine.url) if context.engine is not None else "the server"
    error = context.original_exception
    if getattr(error, "sqlstate", None) == "57014":  # query_canceled: the statement timeout
        name, _default = STATEMENT_TIMEOUT
        return DatabaseProblem(
            f"the PostgreSQL server {server} did not finish a statement within "
            f"{_seconds(STATEMENT_TIMEOUT):g} s (a lock held elsewhere, or a busy server); "
            "nothing was changed",
            hint=f"try again, or let it run longer with {name}=SECONDS (0: no limit)",
        )
    if context.connection is None and isinstance(error, context.dialect.loaded_dbapi.Error):
        reason = " ".join(str(error).split())
        timed_out = "timeout expired" in reason
        name, _default = CONNECT_TIMEOUT
        return DatabaseProblem(
            f"cannot connect to the PostgreSQL server {server}: "
            + (f"no answer within {_seconds(CONNECT_TIMEOUT):g} s" if timed_out else reason),
            hint=f"is the server running and reachable from here? {name}=SECONDS waits longer"
            if timed_out
            else "is the server running, and are the host, port, user and database right?",
        )
    return None


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
