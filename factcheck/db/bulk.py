"""Writing many rows with few statements: what the import engine uses (BulkWriter).

A flush of the ORM's unit of work costs more per row than SQLite's insert itself, so bulk writers
give rows as tuples of every column in the table's order (ids included; services/record_rows.py
makes them) and these functions bind them column by column and insert them in multi-row
statements (COPY on PostgreSQL). The database's triggers
(db/write_rules.py) add their history rows and search entries, as for any other write.
"""

from __future__ import annotations

import queue
import sqlite3
import threading
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from itertools import chain
from typing import Any

from sqlalchemy import Date, DateTime, Table, event
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
    # Sent to the driver's connection (db/connection.py): nobody reads an insert's result, so an
    # import's writer process (db/writer_process.py) runs it while the import goes on.
    send = connection.connection.driver_connection.send  # type: ignore[union-attr]
    for start in range(0, len(rows), per):
        batch = rows[start : start + per]
        statement = many if len(batch) == per else head + ", ".join([marks] * len(batch))
        send(statement, tuple(chain.from_iterable(batch)))


def _bind(
    connection: Connection, table: Table, names: list[str], columns: list[Sequence[Any]]
) -> list[Sequence[Any]]:
    """The rows' values, given column by column, as the driver takes them.

    Each column's bind processor runs over the column at once (building SQLAlchemy's parameter
    dictionaries and processing them row by row costs more than SQLite's insert itself), and a
    timestamp is converted once per distinct value, however many rows share it.
    """
    dialect = connection.dialect
    driver: list[Sequence[Any]] = []
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


def _prepared(
    connection: Connection, table: Table, rows: list[tuple[Any, ...]]
) -> tuple[list[str], list[Sequence[Any]]]:
    names = [c.name for c in table.columns]
    return names, _bind(connection, table, names, list(zip(*rows, strict=True)))


def _write(
    connection: Connection, table: Table, names: list[str], columns: list[Sequence[Any]]
) -> None:
    if _is_sqlite(connection):
        _insert_tuples(connection, table, names, list(zip(*columns, strict=True)))
        return
    # PostgreSQL: COPY, the server's own bulk load: one statement for the batch (so its
    # statement-level triggers run once), and no SQL text of thousands of parameters for the
    # driver to parse.
    raw: Any = connection.connection.driver_connection
    quoted = ", ".join(connection.dialect.identifier_preparer.quote(n) for n in names)
    with raw.cursor() as cursor, cursor.copy(f"COPY {table.name} ({quoted}) FROM STDIN") as copy:
        for row in zip(*columns, strict=True):
            copy.write_row(row)


# A batch for the writer thread: the table, its columns' names, their values column by column.
_Batch = tuple[Table, list[str], list[Sequence[Any]]]


class BulkWriter:
    """Batches of rows inserted for the rest of one transaction (the import engine's), each row
    a tuple of every column of its table in order (ids included); a context manager.

    On PostgreSQL a thread of its own writes the batches while the caller goes on (reading and
    checking the next records): the server writes a batch, its triggers included, in a process of
    its own, so written in turn the two halves of an import took turns, each on one core. Any
    statement the caller runs on the connection first waits for the batches given before it, so
    it sees them, and a batch that failed raises its error in the caller's thread then, or on
    leaving. On SQLite a batch is given to the connection at once in the caller's thread: a
    thread would not help, since SQLite writes inside the process and the triggers call the
    connection's Python functions for every row, each call waiting for the interpreter lock
    that the caller's thread holds. A large import's connection is a writer process
    (db/writer_process.py), which runs the inserts while the caller goes on.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self._batches: queue.Queue[_Batch | None] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._stopping = False

    def __enter__(self) -> BulkWriter:
        if not _is_sqlite(self.connection):
            self._thread = threading.Thread(target=self._run, name="bulk-writer", daemon=True)
            self._thread.start()
            event.listen(self.connection, "before_cursor_execute", self._before_statement)
        return self

    def __exit__(self, kind: type[BaseException] | None, *_exc: Any) -> None:
        if self._thread is None:
            return
        event.remove(self.connection, "before_cursor_execute", self._before_statement)
        # On an error the batches still queued are dropped (the transaction rolls back); the
        # one being written ends before the caller goes on with the connection.
        self._stopping = kind is not None
        self._batches.put(None)
        self._thread.join()
        self._thread = None
        if kind is None:
            self._raise()

    def insert(self, table: Table, rows: list[tuple[Any, ...]]) -> None:
        if not rows:
            return
        names, columns = _prepared(self.connection, table, rows)
        if self._thread is None:
            _write(self.connection, table, names, columns)
        else:
            self._batches.put((table, names, columns))

    def held(self) -> AbstractContextManager[None]:
        """The rows inserted within may be written after the next look-up made `overtaking` is
        answered: a writer process (db/writer_process.py) then inserts them while the caller
        works on that answer, so the caller must add them to it itself. Elsewhere they are
        written in turn."""
        if not _is_sqlite(self.connection):
            return nullcontext()
        return self._driver().held()  # type: ignore[no-any-return]

    def overtaking(self) -> AbstractContextManager[None]:
        """The look-ups within may be answered before the rows inserted `held`."""
        if not _is_sqlite(self.connection):
            return nullcontext()
        return self._driver().overtaking()  # type: ignore[no-any-return]

    def _driver(self) -> Any:
        return self.connection.connection.driver_connection

    def wait(self) -> None:
        """Until the batches given so far are written; raises the error of one that failed."""
        if self._thread is not None:
            self._batches.join()
        self._raise()

    def _before_statement(self, *_args: Any) -> None:
        self.wait()

    def _raise(self) -> None:
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self) -> None:
        while True:
            batch = self._batches.get()
            try:
                if batch is None:
                    return
                if self._error is None and not self._stopping:
                    _write(self.connection, *batch)
            except BaseException as exc:  # raised in the caller's thread (wait, __exit__)
                self._error = exc
            finally:
                self._batches.task_done()
