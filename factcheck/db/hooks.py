"""What every write through a factcheck session does besides the write itself.

- History: each inserted, updated or deleted row of an audited table gets a `history` row with
  its old and new values, the actor and the time, in the same transaction. Rows written with
  Core statements (bulk paths) must record their history themselves.
- Search index: claims whose text or quotes changed are re-indexed in `claim_search` (FTS5 on
  SQLite, a tsvector table on PostgreSQL).

Bulk writers (the import) use `insert_rows`, which writes the same history rows in batches, and
`index_new_claims`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Integer,
    Table,
    Text,
    column,
    delete,
    insert,
    inspect,
    select,
    table,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Mapper, Session, UOWTransaction, object_session

from factcheck.models import AUDITED_TABLES, Appearance, Claim, HistoryEntry, utcnow
from factcheck.text import fold

_REINDEX = "factcheck_reindex"
_CHUNK = 500

# The search index, created by the migrations (not one of the models): one row per claim, rowid =
# claim id. On PostgreSQL the table also has a generated tsvector column.
claim_search = table("claim_search", column("rowid", Integer), column("body", Text))


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def _row_values(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {attr.columns[0].name: _jsonable(getattr(obj, attr.key)) for attr in mapper.column_attrs}


def _changed_values(obj: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    state = inspect(obj)
    old: dict[str, Any] = {}
    new: dict[str, Any] = {}
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if not history.added and not history.deleted:
            continue
        before = history.deleted[0] if history.deleted else None
        after = history.added[0] if history.added else None
        if before == after:
            continue
        name = attr.columns[0].name
        old[name] = _jsonable(before)
        new[name] = _jsonable(after)
    return old, new


def _record(connection: Connection, obj: Any, action: str, old: Any, new: Any) -> None:
    table = inspect(obj).mapper.local_table.name
    if table not in AUDITED_TABLES:
        return
    session = object_session(obj)
    connection.execute(
        insert(HistoryEntry),
        {
            "at": utcnow(),
            "actor": session.info.get("actor") if session is not None else None,
            "table_name": table,
            "row_id": obj.id,
            "action": action,
            "old_values": old,
            "new_values": new,
        },
    )


def _mark_for_reindex(obj: Any) -> None:
    claim_id = obj.id if isinstance(obj, Claim) else getattr(obj, "claim_id", None)
    session = object_session(obj)
    if claim_id is not None and session is not None and isinstance(obj, Claim | Appearance):
        session.info.setdefault(_REINDEX, set()).add(claim_id)


# Mapper-level events see every row a flush writes, including cascaded and orphan deletes.
def after_insert(_mapper: Mapper[Any], connection: Connection, obj: Any) -> None:
    _record(connection, obj, "insert", None, _row_values(obj))
    _mark_for_reindex(obj)


def after_update(_mapper: Mapper[Any], connection: Connection, obj: Any) -> None:
    old, new = _changed_values(obj)
    if new:
        _record(connection, obj, "update", old, new)
        _mark_for_reindex(obj)


def after_delete(_mapper: Mapper[Any], connection: Connection, obj: Any) -> None:
    _record(connection, obj, "delete", _row_values(obj), None)
    _mark_for_reindex(obj)


def reindex_search(session: Session, _flush_context: UOWTransaction) -> None:
    claim_ids = session.info.pop(_REINDEX, None)
    if claim_ids:
        reindex_claims(session.connection(), claim_ids)


def search_bodies(connection: Connection, claim_ids: list[int] | None = None) -> dict[int, str]:
    """What the search index should hold: each claim's folded text and quotes, by claim id."""
    claims = select(Claim.id, Claim.text)
    quotes = (
        select(Appearance.claim_id, Appearance.quote)
        .where(Appearance.quote.is_not(None))
        .order_by(Appearance.id)
    )
    if claim_ids is not None:
        claims = claims.where(Claim.id.in_(claim_ids))
        quotes = quotes.where(Appearance.claim_id.in_(claim_ids))
    parts: dict[int, list[str]] = {cid: [text] for cid, text in connection.execute(claims)}
    for claim_id, quote in connection.execute(quotes):
        if claim_id in parts and quote is not None:
            parts[claim_id].append(quote)
    return {cid: fold("\n".join(texts)) for cid, texts in parts.items()}


def reindex_claims(connection: Connection, claim_ids: Iterable[int]) -> None:
    """Rebuild the search rows of these claims from their text and quotes."""
    ids = sorted(set(claim_ids))
    # In chunks: SQLite limits the number of bound parameters in one statement.
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        connection.execute(delete(claim_search).where(claim_search.c.rowid.in_(chunk)))
        bodies = search_bodies(connection, chunk)
        if bodies:
            rows = [{"rowid": cid, "body": body} for cid, body in bodies.items()]
            connection.execute(insert(claim_search), rows)


def _is_datetime(column: Any) -> bool:
    kind = getattr(column.type, "impl", column.type)  # a TypeDecorator's underlying type
    return isinstance(kind, DateTime | Date)


# For each table and set of columns given (SQLite only): the INSERT statement, and each column's
# name, bind processor (or None) and whether it holds timestamps.
_STATEMENTS: dict[tuple[str, ...], tuple[str, list[tuple[str, Any, bool]]]] = {}


def _executemany(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """`connection.execute(insert(table), rows)`, every row giving the same columns.

    On SQLite (whose executemany is a loop in C) the rows go to the driver as tuples, through the
    columns' own bind processors, a column at a time: building SQLAlchemy's parameter
    dictionaries and processing them row by row costs more than SQLite's insert itself. A
    timestamp is processed once per batch however many rows share it (all the history rows of
    a batch do). Elsewhere (PostgreSQL's multi-row VALUES batches) Core does it.
    """
    dialect = connection.dialect
    if dialect.name != "sqlite" or dialect.paramstyle != "qmark":
        connection.execute(insert(table), rows)
        return
    key = (table.name, *rows[0])
    if key not in _STATEMENTS:
        columns = [c for c in table.columns if c.name in rows[0]]
        names = ", ".join(dialect.identifier_preparer.quote(c.name) for c in columns)
        marks = ", ".join("?" for _ in columns)
        processors = [
            (c.name, c.type.dialect_impl(dialect).bind_processor(dialect), _is_datetime(c))
            for c in columns
        ]
        _STATEMENTS[key] = (f"INSERT INTO {table.name} ({names}) VALUES ({marks})", processors)
    statement, processors = _STATEMENTS[key]
    values_by_column: list[list[Any]] = []
    for name, process, timestamps in processors:
        values = [row[name] for row in rows]
        if process is not None and timestamps:
            processed = {value: process(value) for value in set(values)}
            values = [processed[value] for value in values]
        elif process is not None:
            values = [process(value) for value in values]
        values_by_column.append(values)
    connection.exec_driver_sql(statement, list(zip(*values_by_column, strict=True)))


def insert_rows(
    connection: Connection, table: Table, rows: list[dict[str, Any]], actor: Any
) -> None:
    """Insert rows with one executemany, and their history rows with another: what a flush of
    these rows as new objects would write, without the unit of work's cost per object.

    Every row gives every column (ids included), as the ORM object would hold after its insert,
    so the history's `new_values` are the whole row, as `after_insert` records it.
    """
    if not rows:
        return
    _executemany(connection, table, rows)
    if table.name not in AUDITED_TABLES:
        return
    names = [c.name for c in table.columns]
    timestamps = [c.name for c in table.columns if _is_datetime(c)]
    new_values = [{name: row[name] for name in names} for row in rows]
    for name in timestamps:  # _jsonable, once per distinct value
        iso = {value: _jsonable(value) for value in {row[name] for row in rows}}
        for values in new_values:
            values[name] = iso[values[name]]
    at = utcnow()
    table_name = str(table.name)  # a plain str: sqlite3 looks for adapters on str subclasses
    _executemany(
        connection,
        HistoryEntry.__table__,  # type: ignore[arg-type]
        [
            {
                "at": at,
                "actor": actor,
                "table_name": table_name,
                "row_id": row["id"],
                "action": "insert",
                "old_values": None,
                "new_values": values,
            }
            for row, values in zip(rows, new_values, strict=True)
        ],
    )


def index_new_claims(connection: Connection, after_id: int) -> int:
    """Index every claim with an id above `after_id` (claims a bulk import or a copy has just
    written; 0 for all of them), reading them and their quotes once, a page at a time in id
    order, so memory does not grow with the database. Returns how many were indexed."""
    connection.execute(delete(claim_search).where(claim_search.c.rowid > after_id))
    indexed = 0
    while True:
        page = connection.execute(
            select(Claim.id, Claim.text).where(Claim.id > after_id).order_by(Claim.id).limit(_CHUNK)
        ).all()
        if not page:
            return indexed
        low, high = page[0][0], page[-1][0]
        parts: dict[int, list[str]] = {claim_id: [text] for claim_id, text in page}
        quotes = (
            select(Appearance.claim_id, Appearance.quote)
            .where(Appearance.claim_id.between(low, high), Appearance.quote.is_not(None))
            .order_by(Appearance.id)
        )
        for claim_id, quote in connection.execute(quotes):
            parts[claim_id].append(str(quote))
        rows = [{"rowid": cid, "body": fold("\n".join(texts))} for cid, texts in parts.items()]
        connection.execute(insert(claim_search), rows)
        indexed += len(rows)
        after_id = high
