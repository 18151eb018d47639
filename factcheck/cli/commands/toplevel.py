"""The top-level verbs: `init`, `link`, `unlink`, `search`, `log`."""

import json
from typing import Annotated

import typer

from factcheck.cli import paging, render
from factcheck.cli.options import AllOpt, JsonOpt, LimitOpt, OffsetOpt, RelationOpt
from factcheck.cli.state import state


def init(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Create the database, or upgrade it, and print where it is and its schema revision.

    Example: factcheck --db research.db init
    """
    from factcheck.db import migrate

    database = state(ctx).database()
    revision = migrate.current_revision(database.engine)
    if json_:
        render.print_json({"database": database.location, "revision": revision})
    else:
        render.console.print(f"Database {database.location} is at revision {revision} (newest).")


def link(
    ctx: typer.Context,
    claim_a: Annotated[int, typer.Argument(help="First claim id.")],
    claim_b: Annotated[int, typer.Argument(help="Second claim id.")],
    relation: RelationOpt,
    note: Annotated[str | None, typer.Option("--note", "-m", help="Why they are linked.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Link two claims and print the link's id.

    `supports` and `refines` read "A supports B"; `contradicts` and `duplicates` are symmetric
    and stored once.

    Example: factcheck link 3 17 --relation contradicts --note "troops left vs stayed"
    """
    from factcheck.schemas import LinkIn
    from factcheck.services.links import add_link

    data = LinkIn(claim_a=claim_a, claim_b=claim_b, relation=relation, note=note)
    with state(ctx).database().store(write=True) as store:
        created = add_link(store, data)
    render.created(created, json_)


def unlink(
    ctx: typer.Context,
    link_id: Annotated[int, typer.Argument(help="Link id (see `claim show`).")],
    json_: JsonOpt = False,
) -> None:
    """Remove a link between two claims (it stays in `factcheck log`).

    Example: factcheck unlink 5
    """
    from factcheck.services.links import remove_link

    with state(ctx).database().store(write=True) as store:
        remove_link(store, link_id)
    if json_:
        render.print_json({"id": link_id, "removed": True})
    else:
        render.console.print(f"Removed link {link_id}.")


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find; any text is accepted.")],
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    all_: AllOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Full-text search over claims and their quotes, best matches first.

    Every word must occur (as a word or the start of one), ignoring case, accents and
    apostrophes; punctuation and operators are treated as plain text. A page of a query
    matching more than 5,000 claims (the terminal's page, or --limit's) is ranked among its
    5,000 newest matches; --all, and --json or piped output without --limit, rank every match.

    Example: factcheck search "Soleimani drone"
    """
    from factcheck.services.search import search as run_search

    page = paging.requested(limit, offset, all_, json_)
    with state(ctx).database().store() as store:
        claims = run_search(store, query, page)
    if json_:
        render.print_json(claims.items)
    else:
        render.claims_table(claims.items)
    paging.footer(claims, "claim", "claims", json_)


def log(
    ctx: typer.Context,
    table: Annotated[
        str | None, typer.Option(help="Only changes to this table, e.g. claims.")
    ] = None,
    row: Annotated[int | None, typer.Option(help="Only changes to the row with this id.")] = None,
    actor: Annotated[str | None, typer.Option(help="Only changes made by this actor.")] = None,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    all_: AllOpt = False,
    json_: JsonOpt = False,
) -> None:
    """The history of changes, newest first: what changed, old and new values, who and when.

    Example: factcheck log --table claims --row 12
    """
    from rich.text import Text

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
        head = Text(f"#{entry.id} {render.when(entry.at)} {entry.actor or '?'} ", style="dim")
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
            render.console.print(Text(f"    {json.dumps(shown, ensure_ascii=False)[:200]}"))
    paging.footer(entries, "change", "changes")
