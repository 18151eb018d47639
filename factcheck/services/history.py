"""The append-only history of changes."""

from __future__ import annotations

import json
from typing import Any

from factcheck.db.store import Store
from factcheck.errors import InvalidInput
from factcheck.schemas import HistoryFilter, HistoryOut, Page, PageIn
from factcheck.services.paging import bounds, page_of


def _values(value: Any) -> dict[str, Any] | None:
    """A JSON column's value: text on SQLite, already parsed by psycopg on PostgreSQL."""
    parsed: dict[str, Any] | None = json.loads(value) if isinstance(value, str | bytes) else value
    return parsed


def audited_tables(store: Store) -> list[str]:
    """The tables whose changes the history records: those the database's history triggers
    (db/write_rules.py) watch, as the database itself says."""
    if store.dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
    else:
        sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
    suffix = "_history_insert"
    names = [name for (name,) in store.rows(sql) if name.endswith(suffix)]
    return sorted(name.removesuffix(suffix) for name in names)


def history(store: Store, filters: HistoryFilter, page: PageIn) -> Page[HistoryOut]:
    """Newest first."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if filters.table is not None:
        tables = audited_tables(store)
        if filters.table not in tables:
            raise InvalidInput(
                f"no table {filters.table!r} in the history",
                hint=f"tables: {', '.join(tables)}",
            )
        conditions.append("table_name = :table")
        params["table"] = filters.table
    if filters.row_id is not None:
        conditions.append("row_id = :row_id")
        params["row_id"] = filters.row_id
    if filters.actor is not None:
        conditions.append("actor = :actor")
        params["actor"] = filters.actor
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""

    def rows(offset: int, limit: int | None) -> list[HistoryOut]:
        found = store.rows(
            "SELECT id, at, actor, table_name, row_id, action, old_values, new_values "
            f"FROM history{where} ORDER BY id DESC{bounds(store, offset, limit)}",
            params,
        )
        return [
            HistoryOut(
                id=id_,
                at=store.timestamp(at),
                actor=actor,
                table=table,
                row_id=row_id,
                action=action,
                old=_values(old),
                new=_values(new),
            )
            for id_, at, actor, table, row_id, action, old, new in found
        ]

    def count() -> int:
        return int(store.value(f"SELECT count(*) FROM history{where}", params) or 0)

    return page_of(rows, count, page)
