"""What every write through a factcheck session does besides the write itself.

- History: each inserted, updated or deleted row of an audited table gets a `history` row with
  its old and new values, the actor and the time, in the same transaction. Rows written with
  Core statements (bulk paths) must record their history themselves.
- Search index: claims whose text or quotes changed are re-indexed in `claim_search` (FTS5 on
  SQLite, a tsvector table on PostgreSQL).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, Text, column, delete, insert, inspect, select, table
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
