"""`factcheck link` and `factcheck unlink`: typed relations between claims."""

from typing import Annotated

import typer

from factcheck.cli import render
from factcheck.cli.options import JsonOpt, RelationOpt
from factcheck.cli.state import state
from factcheck.vocab import MAX_INT


def link(
    ctx: typer.Context,
    claim_a: Annotated[int, typer.Argument(help="First claim id.", max=MAX_INT)],
    claim_b: Annotated[int, typer.Argument(help="Second claim id.", max=MAX_INT)],
    relation: RelationOpt,
    note: Annotated[str | None, typer.Option("--note", "-m", help="Why they are linked.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Link two claims and print the link's id.

    `contradicts` means the two cannot both be true (claims merely in tension are better noted
    on the claims). `supports` and `refines` read "A supports B"; `contradicts` and
    `duplicates` are symmetric and stored once.

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
    link_id: Annotated[int, typer.Argument(help="Link id (see `claim show`).", max=MAX_INT)],
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
