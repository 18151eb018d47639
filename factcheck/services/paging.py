"""Lists a page at a time: the rows asked for and how many follow them, counted by the database.

A page fetches one row more than it shows, so the common case (nothing follows) costs no count;
only when something does is the whole list counted, in SQL, without loading it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from factcheck.db.store import Store
from factcheck.schemas import Page, PageIn

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


def bounds(store: Store, offset: int, limit: int | None) -> str:
    """The LIMIT and OFFSET clauses of `offset` and `limit` rows (all of them when None), as
    both backends read them (SQLite has no OFFSET without a LIMIT: -1 is none)."""
    if limit is None and not offset:
        return ""
    if limit is None:
        return (
            f" OFFSET {int(offset)}"
            if store.dialect == "postgresql"
            else f" LIMIT -1 OFFSET {int(offset)}"
        )
    return f" LIMIT {int(limit)}" + (f" OFFSET {int(offset)}" if offset else "")


def store_page(store: Store, sql: str, params: dict[str, Any], page: PageIn) -> Page[Any]:
    """The page of what `sql` selects (one column, ordered), through a Store."""

    def rows(offset: int, limit: int | None) -> list[Any]:
        return [row[0] for row in store.rows(sql + bounds(store, offset, limit), params)]

    return page_of(
        rows,
        lambda: int(store.value(f"SELECT count(*) FROM ({sql}) AS listed", params) or 0),
        page,
    )
