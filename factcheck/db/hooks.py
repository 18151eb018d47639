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

import sqlite3
from collections.abc import Iterable
from itertools import chain
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
from sqlalchemy.sql.expression import TableClause

from factcheck.models import AUDITED_TABLES, Appearance, Claim, HistoryEntry, utcnow
from factcheck.sqlite_direct import jsonable
from factcheck.text import fold

_REINDEX = "factcheck_reindex"
_CHUNK = 500

# The search index, created by the migrations (not one of the models): one row per claim, rowid =
# claim id. On PostgreSQL the table also has a generated tsvector column.
claim_search = table("claim_search", column("rowid", Integer), column("body", Text))


def _row_values(obj: Any) -> dict[str, Any]:
    mapper = inspect(obj).mapper
    return {attr.columns[0].name: jsonable(getattr(obj, attr.key)) for attr in mapper.column_attrs}


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
        old[name] = jsonable(before)
        new[name] = jsonable(after)
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
        _insert_search_rows(connection, list(search_bodies(connection, chunk).items()))


def _insert_search_rows(connection: Connection, rows: list[tuple[int, str]]) -> None:
    """Search index rows: (claim id, folded body)."""
    if not rows:
        return
    if _is_sqlite(connection):
        _insert_tuples(connection, claim_search, ["rowid", "body"], rows)
    else:
        connection.execute(insert(claim_search), [{"rowid": c, "body": b} for c, b in rows])


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
    connection: Connection, table: TableClause, names: list[str], rows: list[tuple[Any, ...]]
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
) -> tuple[list[list[Any]], list[list[Any]]]:
    """The rows' values, given column by column, as the driver takes them, and as history
    records them (after_insert's jsonable).

    Each column's bind processor runs over the column at once (building SQLAlchemy's parameter
    dictionaries and processing them row by row costs more than SQLite's insert itself), and a
    timestamp is converted once per distinct value, however many rows share it.
    """
    dialect = connection.dialect
    driver, as_json = [], []
    for name, values in zip(names, columns, strict=True):
        column = table.columns[name]
        process = column.type.dialect_impl(dialect).bind_processor(dialect)
        if _is_datetime(column):
            forms = {v: (v if process is None else process(v), jsonable(v)) for v in set(values)}
            pairs = [forms[value] for value in values]
            driver.append([pair[0] for pair in pairs])
            as_json.append([pair[1] for pair in pairs])
        else:
            driver.append(values if process is None else list(map(process, values)))
            as_json.append(values)
    return driver, as_json


def insert_rows(
    connection: Connection, table: Table, rows: list[dict[str, Any]], actor: Any
) -> None:
    """Insert rows with a few statements, and their history rows with a few more: what a flush
    of these rows as new objects would write, without the unit of work's cost per object.

    Every row gives every column (ids included), as the ORM object would hold after its insert,
    so the history's `new_values` are the whole row, as `after_insert` records it.
    """
    if not rows:
        return
    names = [c.name for c in table.columns]
    driver, as_json = _bind(connection, table, names, [[row[n] for row in rows] for n in names])
    new_values = [dict(zip(names, values, strict=True)) for values in zip(*as_json, strict=True)]
    history: Table = HistoryEntry.__table__  # type: ignore[assignment]
    fixed = {
        "at": utcnow(),
        "actor": actor,
        "table_name": str(table.name),  # a plain str: sqlite3 looks for adapters on subclasses
        "action": "insert",
    }
    if not _is_sqlite(connection):  # PostgreSQL: Core's multi-row VALUES batches
        connection.execute(insert(table), rows)
        if table.name in AUDITED_TABLES:
            connection.execute(
                insert(history),
                [
                    {**fixed, "row_id": row["id"], "old_values": None, "new_values": values}
                    for row, values in zip(rows, new_values, strict=True)
                ],
            )
        return
    _insert_tuples(connection, table, names, list(zip(*driver, strict=True)))
    if table.name not in AUDITED_TABLES:
        return
    fixed_driver, _ = _bind(connection, history, list(fixed), [[v] for v in fixed.values()])
    at, actor, table_name, action = (values[0] for values in fixed_driver)
    # The JSON column's own serialiser, as the ORM hooks' inserts use it: once per row.
    dialect = connection.dialect
    serialise = history.c.new_values.type.dialect_impl(dialect).bind_processor(dialect)
    assert serialise is not None
    _insert_tuples(
        connection,
        history,
        ["at", "actor", "table_name", "row_id", "action", "new_values"],
        [
            (at, actor, table_name, row["id"], action, serialise(values))
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
        _insert_search_rows(
            connection, [(cid, fold("\n".join(texts))) for cid, texts in parts.items()]
        )
        indexed += len(parts)
        after_id = high
