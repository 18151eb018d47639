"""Explicit ids: imports and copies keep the ids a file or database gives, and ids are never reused.

SQLite's AUTOINCREMENT keeps the highest id ever used in `sqlite_sequence` and moves it past any
explicit id by itself. PostgreSQL's sequences do neither, so a writer that inserts explicit ids
first locks the tables against other inserts (whose next sequence value could collide with them),
and afterwards moves each sequence past the highest id in its table.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from sqlalchemy import Table, func, select, text
from sqlalchemy.engine import Connection


def highest_id_ever(connection: Connection, table: Table) -> int:
    """The highest id the table has held, including rows deleted since."""
    highest = connection.scalar(select(func.max(table.c.id))) or 0
    # The name as a plain str: SQLAlchemy's quoted_name would make a writer process
    # (db/writer_process.py) import SQLAlchemy to read the parameter, a sixth of a second.
    name = str(table.name)
    if connection.dialect.name == "sqlite":
        seq = connection.execute(
            text("SELECT seq FROM sqlite_sequence WHERE name = :t"), {"t": name}
        ).scalar()
    else:
        seq = connection.execute(
            text("SELECT pg_sequence_last_value(pg_get_serial_sequence(:t, 'id'))"),
            {"t": name},
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


class IdRuns:
    """A map from ids to ids (or, with `add(key)`, a set of ids), kept as runs of consecutive
    pairs: a dump's ids are mostly consecutive and mostly kept, so the ids of a million claims
    take a few runs instead of a million dictionary entries, and an import's memory does not grow
    with its file. Scattered ids still work, one run each."""

    __slots__ = ("_ends", "_starts", "_targets")

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []  # exclusive
        self._targets: list[int] = []  # what each run's first key maps to

    def get(self, key: int) -> int | None:
        if self._starts and self._starts[-1] <= key < self._ends[-1]:  # the usual case
            return self._targets[-1] + key - self._starts[-1]
        i = bisect_right(self._starts, key) - 1
        if i >= 0 and key < self._ends[i]:
            return self._targets[i] + key - self._starts[i]
        return None

    def __getitem__(self, key: int) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: object) -> bool:
        return isinstance(key, int) and self.get(key) is not None

    def __len__(self) -> int:
        return sum(end - start for start, end in zip(self._starts, self._ends, strict=True))

    @property
    def runs(self) -> int:
        return len(self._starts)

    def add(self, key: int, value: int | None = None) -> None:
        """Map `key` (not yet present) to `value`, by default to itself."""
        value = key if value is None else value
        ends = self._ends
        if ends and ends[-1] == key and self._targets[-1] - self._starts[-1] == value - key:
            ends[-1] += 1  # the usual case: the next id of the last run (inlined _follows)
            return
        i = bisect_right(self._starts, key)  # runs 0..i-1 start at or before key
        if i and self._ends[i - 1] == key and self._follows(i - 1, key, value):
            self._ends[i - 1] += 1
            if (
                i < len(self._starts)
                and self._starts[i] == key + 1
                and self._follows(i, key, value)
            ):
                self._ends[i - 1] = self._ends[i]
                del self._starts[i], self._ends[i], self._targets[i]
            return
        if i < len(self._starts) and self._starts[i] == key + 1 and self._follows(i, key, value):
            self._starts[i], self._targets[i] = key, value
            return
        self._starts.insert(i, key)
        self._ends.insert(i, key + 1)
        self._targets.insert(i, value)

    def _follows(self, run: int, key: int, value: int) -> bool:
        """Whether key -> value lies on the line of run `run` (same offset between the two)."""
        return self._targets[run] - self._starts[run] == value - key
