"""Explicit ids: imports and copies keep the ids a file or database gives, and ids are never reused.

SQLite's AUTOINCREMENT keeps the highest id ever used in `sqlite_sequence` and moves it past any
explicit id by itself. PostgreSQL's sequences do neither, so a writer that inserts explicit ids
first locks the tables against other inserts (whose next sequence value could collide with them),
and afterwards moves each sequence past the highest id in its table.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection


def highest_id_ever(connection: Connection, table: Table) -> int:
    """The highest id the table has held, including rows deleted since."""
    highest = connection.scalar(select(func.max(table.c.id))) or 0
    if connection.dialect.name == "sqlite":
        seq = connection.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": table.name}
        ).scalar()
    else:
        seq = connection.execute(
            text("SELECT pg_sequence_last_value(pg_get_serial_sequence(:t, 'id'))"),
            {"t": table.name},
        ).scalar()
    return max(highest, seq or 0)


def lock_for_explicit_ids(connection: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL: hold off other inserts into these tables until this transaction ends.

    SHARE ROW EXCLUSIVE conflicts with the ROW EXCLUSIVE lock every INSERT takes, and with
    itself, so two imports run one after the other, as SQLite's BEGIN IMMEDIATE makes them.
    Reads are not blocked.
    """
    if connection.dialect.name != "postgresql":
        return
    names = ", ".join(connection.dialect.identifier_preparer.quote(t.name) for t in tables)
    connection.exec_driver_sql(f"LOCK TABLE {names} IN SHARE ROW EXCLUSIVE MODE")


def advance_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """PostgreSQL: move each table's id sequence past the highest id it holds (never back)."""
    if connection.dialect.name != "postgresql":
        return
    for table in tables:
        highest = highest_id_ever(connection, table)
        if highest > 0:
            connection.execute(
                text("SELECT setval(pg_get_serial_sequence(:t, 'id'), :n)"),
                {"t": table.name, "n": highest},
            )
