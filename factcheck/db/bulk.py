"""Writing many rows with few statements: what the import and `db copy` use.

A flush of the ORM's unit of work costs more per row than SQLite's insert itself, so bulk writers
give rows as dictionaries of every column (ids included) and these functions bind them column by
column and insert them in multi-row statements. The database's triggers (db/write_rules.py) add
their history rows and search entries, as for any other write.
"""

from __future__ import annotations

import sqlite3
from itertools import chain
from typing import Any

from sqlalchemy import Date, DateTime, Table, insert
from sqlalchemy.engine import Connection


def _is_datetime(column: Any) -> bool:
    kind = getattr(column.type, "impl", column.type)  # a TypeDecorator's underlying type
    return isinstance(kind, DateTime | Date)


def _is_sqlite(connection: Connection) -> bool:
    return connection.dialect.name == "sqlite" and connection.dialect.paramstyle == "qmark"


# Rows per INSERT statement on SQLite. executemany runs the statement once per row, and SQLite's
# cost per statement (starting it, reading and writing the AUTOINCREMENT counter, its statement
# journal) is about the row's own; a VALUES list of many rows pays it once.
_ROWS_PER_INSERT = 250
# For each table and tuple of columns: the statement inserting one row, the one inserting a
# VALUES list, and how many rows that list has.
_STATEMENTS: dict[tuple[str, ...], tuple[str, str, int]] = {}


def _insert_tuples(
    connection: Connection, table: Table, names: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """SQLite: insert rows given as tuples of the driver's values of the columns `names`."""
    key = (table.name, *names)
    if key not in _STATEMENTS:
        columns = ", ".join(connection.dialect.identifier_preparer.quote(n) for n in names)
        marks = f"({', '.join('?' for _ in names)})"
        driver: Any = connection.connection.driver_connection
        limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per = max(1, min(_ROWS_PER_INSERT, limit // len(names)))
        head = f"INSERT INTO {table.name} ({columns}) VALUES "
        _STATEMENTS[key] = (head + marks, head + ", ".join([marks] * per), per)
    one, many, per = _STATEMENTS[key]
    whole = len(rows) - len(rows) % per
    for start in range(0, whole, per):
        connection.exec_driver_sql(many, tuple(chain.from_iterable(rows[start : start + per])))
    if whole < len(rows):
        connection.exec_driver_sql(one, rows[whole:])


def _bind(
    connection: Connection, table: Table, names: list[str], columns: list[list[Any]]
) -> list[list[Any]]:
    """The rows' values, given column by column, as the driver takes them.

    Each column's bind processor runs over the column at once (building SQLAlchemy's parameter
    dictionaries and processing them row by row costs more than SQLite's insert itself), and a
    timestamp is converted once per distinct value, however many rows share it.
    """
    dialect = connection.dialect
    driver = []
    for name, values in zip(names, columns, strict=True):
        column = table.columns[name]
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        if process is None:
            driver.append(values)
        elif _is_datetime(column):
            forms = {v: process(v) for v in set(values)}
            driver.append([forms[value] for value in values])
        else:
            driver.append(list(map(process, values)))
    return driver


def insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, each giving every column of the table (ids included)."""
    if not rows:
        return
    if not _is_sqlite(connection):  # PostgreSQL: Core's multi-row VALUES batches
        connection.execute(insert(table), rows)
        return
    names = [c.name for c in table.columns]
    driver = _bind(connection, table, names, [[row[n] for row in rows] for n in names])
    _insert_tuples(connection, table, names, list(zip(*driver, strict=True)))
