"""`factcheck log`: the history of changes."""

import json
from typing import Annotated

import typer

from factcheck.cli import paging, render
from factcheck.cli.options import AllOpt, JsonOpt, LimitOpt, OffsetOpt
from factcheck.cli.state import state
from factcheck.vocab import MAX_INT


def log(
    ctx: typer.Context,
    table: Annotated[
        str | None, typer.Option(help="Only changes to this table, e.g. claims.")
    ] = None,
    row: Annotated[
        int | None, typer.Option(help="Only changes to the row with this id.", min=1, max=MAX_INT)
    ] = None,
    actor: Annotated[str | None, typer.Option(help="Only changes made by this actor.")] = None,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    all_: AllOpt = False,
    json_: JsonOpt = False,
) -> None:
    """The history of changes, newest first: what changed, old and new values, who and when.

    Example: factcheck log --table claims --row 12
    """
    from factcheck.cli.console import Text
    from factcheck.schemas import HistoryFilter
    from factcheck.services.history import history

    filters = HistoryFilter(table=table, row_id=row, actor=actor)
    page = paging.requested(limit, offset, all_, json_)
    with state(ctx).database().store() as store:
        entries = history(store, filters, page)
    if json_:
        render.print_json(entries.items)
        paging.footer(entries, "change", "changes", json_)
        return
    for entry in entries.items:
        head = Text(f"#{entry.id} {render.when(entry.at)} {render.name(entry.actor)} ", style="dim")
        head.append(f"{entry.action} {entry.table} {entry.row_id}", style="bold")
        render.console.print(head)
        if entry.action == "update" and entry.old is not None and entry.new is not None:
            for column, after in entry.new.items():
                before = entry.old.get(column)
                render.console.print(
                    Text(
                        f"    {column}: {json.dumps(before, ensure_ascii=False)} → "
                        f"{json.dumps(after, ensure_ascii=False)}"
                    )
                )
        else:
            values = entry.new if entry.action == "insert" else entry.old
            shown = {k: v for k, v in (values or {}).items() if v is not None and k != "id"}
            values_text = json.dumps(shown, ensure_ascii=False)
            render.console.print(Text(f"    {render.cut(values_text, 200)}"))
    paging.footer(entries, "change", "changes")
