"""`factcheck search`: full-text search over claims and their quotes."""

from typing import Annotated

import typer

from factcheck.cli import paging, render
from factcheck.cli.options import AllOpt, JsonOpt, LimitOpt, OffsetOpt
from factcheck.cli.state import state


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
