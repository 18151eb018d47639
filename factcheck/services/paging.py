"""Lists a page at a time: the rows asked for and how many follow them, counted by the database.

A page fetches one row more than it shows, so the common case (nothing follows) costs no count;
only when something does is the whole list counted, in SQL, without loading it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar

from factcheck.db.store import Store
from factcheck.schemas import Page, PageIn

if TYPE_CHECKING:
    from sqlalchemy import Select
    from sqlalchemy.orm import Session

Row = TypeVar("Row")


def page_of(
    rows: Callable[[int, int | None], Sequence[Row]], count: Callable[[], int], page: PageIn
) -> Page[Row]:
    """The page of a list that `page` asks for. `rows(offset, limit)` gives the list's rows from
    `offset` on (at most `limit`; all of them when None); `count()` the length of the whole list,
    asked only when rows follow the page."""
    if page.limit is None:
        return Page.model_construct(items=list(rows(page.offset, None)), offset=page.offset)
    items = list(rows(page.offset, page.limit + 1))
    more = 0
    if len(items) > page.limit:
        del items[page.limit :]
        # At least the row fetched beyond the page, whatever the count says.
        more = max(count() - page.offset - page.limit, 1)
    return Page.model_construct(items=items, offset=page.offset, more=more)


def shown(query: Select[Row], page: PageIn) -> Select[Row]:
    """What `query` selects on `page`: a subquery for the rows that belong to the page's (no
    list of ids to bind, however long the page)."""
    return query.offset(page.offset or None).limit(page.limit)


def select_page(session: Session, query: Select[Row], page: PageIn) -> Page[Row]:
    """The page of what `query` selects (one column or entity), in the query's order."""
    from sqlalchemy import func, select

    counted: Select[Any] = select(func.count()).select_from(query.order_by(None).subquery())
    return page_of(
        lambda offset, limit: session.scalars(query.offset(offset or None).limit(limit)).all(),
        lambda: session.scalar(counted) or 0,
        page,
    )


def store_page(store: Store, sql: str, params: dict[str, Any], page: PageIn) -> Page[Any]:
    """The page of what `sql` selects (one column, ordered), through a Store."""

    def rows(offset: int, limit: int | None) -> list[Any]:
        bounds = "" if limit is None else f" LIMIT {int(limit)}"
        if offset:
            # SQLite takes an OFFSET only after a LIMIT (-1: none); PostgreSQL takes it alone.
            if limit is None and store.dialect == "sqlite":
                bounds = " LIMIT -1"
            bounds += f" OFFSET {int(offset)}"
        return [row[0] for row in store.rows(sql + bounds, params)]

    return page_of(
        rows,
        lambda: int(store.value(f"SELECT count(*) FROM ({sql}) AS listed", params) or 0),
        page,
    )
