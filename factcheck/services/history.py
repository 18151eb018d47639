"""The append-only history of changes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from factcheck.errors import InvalidInput
from factcheck.models import AUDITED_TABLES, HistoryEntry
from factcheck.schemas import HistoryFilter, HistoryOut, Page, PageIn
from factcheck.services.paging import select_page


def history(session: Session, filters: HistoryFilter, page: PageIn) -> Page[HistoryOut]:
    """Newest first."""
    query = select(HistoryEntry).order_by(HistoryEntry.id.desc())
    if filters.table is not None:
        if filters.table not in AUDITED_TABLES:
            raise InvalidInput(
                f"no table {filters.table!r} in the history",
                hint=f"tables: {', '.join(sorted(AUDITED_TABLES))}",
            )
        query = query.where(HistoryEntry.table_name == filters.table)
    if filters.row_id is not None:
        query = query.where(HistoryEntry.row_id == filters.row_id)
    if filters.actor is not None:
        query = query.where(HistoryEntry.actor == filters.actor)
    entries = select_page(session, query, page)
    return entries.with_items(
        [
            HistoryOut(
                id=h.id,
                at=h.at,
                actor=h.actor,
                table=h.table_name,
                row_id=h.row_id,
                action=h.action,
                old=h.old_values,
                new=h.new_values,
            )
            for h in entries.items
        ]
    )
