"""A transaction as the services run it: SQL with named parameters, the same statements on both
backends, and no SQLAlchemy on SQLite.

The commands a researcher types by hand read a claim, list a page, set a verdict: importing
SQLAlchemy and mapping the models took several times as long as that work, and three to four
times as long as `sqlite-utils query` takes for the same answer. So the services those commands
call take a `Store`: on SQLite a sqlite3 connection from db/connection.py (the same settings and
SQL functions as every other), on PostgreSQL the SQLAlchemy connection of a session. Statements
are written once, in the SQL both backends share, with `:name` parameters (converted to
psycopg's `%(name)s` on PostgreSQL). What every write does besides the write itself (history,
search index) is the database's own work (db/write_rules.py), so a service only writes its rows.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import cache
from typing import Any, TypeVar

V = TypeVar("V")
_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")


@cache
def _pyformat(sql: str) -> str:
    """`:name` parameters as psycopg's `%(name)s` (and a literal % doubled)."""
    return _PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))


def ids_list(prefix: str, ids: Iterable[int]) -> tuple[str, dict[str, int]]:
    """`:prefix0, :prefix1, ...` for an IN list of ids, and its parameters."""
    return values_list(prefix, (int(value) for value in ids))


def values_list(prefix: str, values: Iterable[V]) -> tuple[str, dict[str, V]]:
    """`:prefix0, :prefix1, ...` for an IN list of values, and its parameters."""
    params = {f"{prefix}{i}": value for i, value in enumerate(values)}
    return ", ".join(f":{name}" for name in params) or "NULL", params


class Store:
    """One transaction's statements, on sqlite3 or on a SQLAlchemy connection (PostgreSQL)."""

    def __init__(self, connection: Any, dialect: str, actor: str | None) -> None:
        self.connection = connection
        self.dialect = dialect
        self.actor = actor
        self._sqlite = dialect == "sqlite"
        # A driver's connection (sqlite3's, or an import's writer process: db/writer_process.py)
        # rather than SQLAlchemy's.
        self._raw = not hasattr(connection, "exec_driver_sql")

    @classmethod
    def of(cls, session: Any) -> Store:
        """The Store of an ORM session's transaction (for the services that still take one),
        with what the session holds flushed first, so that its statements see it."""
        session.flush()
        dialect = session.get_bind().dialect.name
        connection = session.connection()
        if dialect == "sqlite":
            # The session's own sqlite3 connection, in its transaction: SQLAlchemy's result
            # layer costs more per statement than SQLite's work on a row.
            connection = connection.connection.driver_connection
        return cls(connection, dialect, session.info.get("actor"))

    def run(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        """Execute a statement; its cursor (rows are tuples)."""
        if self._raw:
            return self.connection.execute(sql, params or {})
        if self._sqlite:  # pysqlite takes :name parameters as they are
            return self.connection.exec_driver_sql(sql, params or {})
        return self.connection.exec_driver_sql(_pyformat(sql), params or {})

    def rows(self, sql: str, params: dict[str, Any] | None = None) -> list[Sequence[Any]]:
        return list(self.run(sql, params).fetchall())

    def row(self, sql: str, params: dict[str, Any] | None = None) -> Sequence[Any] | None:
        row: Sequence[Any] | None = self.run(sql, params).fetchone()
        return row

    def value(self, sql: str, params: dict[str, Any] | None = None) -> Any:
        row = self.row(sql, params)
        return None if row is None else row[0]

    def insert(self, table: str, values: dict[str, Any]) -> int:
        """Insert one row; its id."""
        names = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks}) RETURNING id"
        return int(self.run(sql, values).fetchall()[0][0])

    def now(self) -> Any:
        """The current time as a timestamp column stores it: naive UTC text on SQLite, as
        models.UTCDateTime writes it."""
        moment = datetime.now(UTC)
        if self._sqlite:
            return moment.replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
        return moment

    @staticmethod
    def timestamp(value: Any) -> datetime | None:
        """A timestamp column's value as an aware UTC datetime (SQLite stores naive UTC text)."""
        if value is None:
            return None
        if isinstance(value, str):
            # Read as UTC by its offset: a tenth of the time of setting tzinfo afterwards.
            return datetime.fromisoformat(value + "+00:00")
        moment: datetime = value
        return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
