"""`db copy`: every row of one database into a new one, on either backend, nothing lost.

Unlike export and import, the copy keeps everything byte for byte: ids, history (actors and times),
verdict trails, rating scales. It is how a team moves a SQLite file to PostgreSQL (or back). Rows
are streamed table by table in foreign-key order, so memory does not grow with the database, and
the whole target is written in one transaction: a failed copy leaves it as it was.
"""

from __future__ import annotations

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from factcheck.db.ids import advance_sequences
from factcheck.db.write_rules import unrecorded
from factcheck.errors import Conflict, DatabaseProblem
from factcheck.models import Base
from factcheck.schemas import Output

_BATCH = 2_000
# Filled by the first migration in every new database; replaced by the source's own.
_MIGRATION_DEFAULTS = ("rating_scales", "rating_labels")


class CopyOut(Output):
    source: str
    target: str
    rows: dict[str, int]


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _count(connection: Connection, table: Table) -> int:
    return int(connection.scalar(select(func.count()).select_from(table)) or 0)


def _require_new(target: Connection, location: str) -> None:
    """The target may hold only what a new database holds, so that nothing in it is lost."""
    for table in _tables():
        if table.name in _MIGRATION_DEFAULTS:
            continue
        if _count(target, table):
            raise Conflict(
                f"{location} already holds data ({table.name} is not empty); "
                "`db copy` writes only into a new database",
                hint="create a new database for the copy, or merge with export and import",
            )


def copy_database(source: Session, target: Session, source_name: str, target_name: str) -> CopyOut:
    """Copy every table of `source` into `target` (both at the newest revision)."""
    reader = source.connection()
    writer = target.connection()
    _require_new(writer, target_name)
    with unrecorded(writer):
        rows = _copy_rows(reader, writer)
    advance_sequences(writer, [t for t in _tables() if "id" in t.c and t.c.id.primary_key])
    return CopyOut(source=source_name, target=target_name, rows=rows)


def _copy_rows(reader: Connection, writer: Connection) -> dict[str, int]:
    """Every row, history included: the history is copied, not written anew (the triggers'
    history is off), while the search index is filled by the triggers as the rows arrive."""
    for table in reversed(_tables()):
        if table.name in _MIGRATION_DEFAULTS:
            writer.execute(delete(table))
    rows: dict[str, int] = {}
    for table in _tables():
        order = list(table.primary_key.columns)
        result = reader.execution_options(yield_per=_BATCH).execute(select(table).order_by(*order))
        copied = 0
        for batch in result.mappings().partitions():
            writer.execute(insert(table), [dict(row) for row in batch])
            copied += len(batch)
        rows[table.name] = copied
    for table in _tables():
        if _count(writer, table) != rows[table.name]:
            raise DatabaseProblem(f"copy of {table.name} is incomplete; nothing was written")
    return rows
