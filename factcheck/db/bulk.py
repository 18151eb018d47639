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

from sqlalchemy import Date, DateTime, Table
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
# For each table and tuple of columns: the INSERT's head, one row's VALUES marks, and
# how many rows a statement takes.
_STATEMENTS: dict[tuple[str, ...], tuple[str, str, int]] = {}


def _insert_tuples(
    connection: Connection, table: Table, names: list[str], rows: list[tuple[Any, ...]]
) -> None:
    """SQLite: insert rows given as tuples of the driver's values of the columns `names`, a
    VALUES list of many rows per statement (the last statement takes what remains)."""
    key = (table.name, *names)
    if key not in _STATEMENTS:
        columns = ", ".join(connection.dialect.identifier_preparer.quote(n) for n in names)
        marks = f"({', '.join('?' for _ in names)})"
        driver: Any = connection.connection.driver_connection
        limit = driver.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per = max(1, min(_ROWS_PER_INSERT, limit // len(names)))
        _STATEMENTS[key] = (f"INSERT INTO {table.name} ({columns}) VALUES ", marks, per)
    head, marks, per = _STATEMENTS[key]
    many = head + ", ".join([marks] * per)
    for start in range(0, len(rows), per):
        batch = rows[start : start + per]
        statement = many if len(batch) == per else head + ", ".join([marks] * len(batch))
        connection.exec_driver_sql(statement, tuple(chain.from_iterable(batch)))


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
    names = [c.name for c in table.columns]
    driver = _bind(connection, table, names, [[row[n] for row in rows] for n in names])
    if _is_sqlite(connection):
        _insert_tuples(connection, table, names, list(zip(*driver, strict=True)))
        return
    # PostgreSQL: COPY, the server's own bulk load: one statement for the batch (so its
    # statement-level triggers run once), and no SQL text of thousands of parameters for the
    # driver to parse.
    raw: Any = connection.connection.driver_connection
    columns = ", ".join(connection.dialect.identifier_preparer.quote(n) for n in names)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({columns}) FROM STDIN") as copy:
        for row in zip(*driver, strict=True):
            copy.write_row(row)
