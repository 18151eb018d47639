"""`factcheck search`: full-text search over claims and their quotes, names included."""

from typing import Annotated

import typer

from factcheck.cli import paging, render
from factcheck.cli.options import (
    AllOpt,
    ClaimantFilterOpt,
    EntityFilterOpt,
    JsonOpt,
    KindOpt,
    LimitOpt,
    OffsetOpt,
    SinceOpt,
    SourceOpt,
    TagFilterOpt,
    UnreviewedOpt,
    UntilOpt,
    VerdictFilterOpt,
)
from factcheck.cli.state import state


def search(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="Words to find; any text is accepted.")],
    source: SourceOpt = None,
    tag: TagFilterOpt = None,
    entity: EntityFilterOpt = None,
    claimant: ClaimantFilterOpt = None,
    verdict: VerdictFilterOpt = None,
    unreviewed: UnreviewedOpt = False,
    kind: KindOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    all_: AllOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Full-text search over claims and their quotes, and the names in them, best matches first.

    Every word must occur (as a word or the start of one), ignoring case, accents and
    apostrophes; punctuation separates words, and operators are treated as plain text.

    Words that spell a name (an entity's name or alias, or a claimant's, compared as
    --entity compares names) are one term, met by a claim that holds the words typed or any
    other spelling of the entity (its words in order), or that mentions the entity, or that
    one of its appearances says is by that claimant (or by any spelling of the entity). The
    longest name is read first. Claims that match in their text come first, ranked by how well
    they match; then those found only through a mention or a claimant, newest first.

    The filters are those of `claim list`. A page of a query matching more than 5,000 claims in
    their text (the terminal's page, or --limit's) is ranked among its 5,000 newest matches;
    --all, and --json or piped output without --limit, rank every match.

    Example: factcheck search "Suleimani drone" --since 2020-01 --verdict true
    """
    from factcheck.schemas import ClaimFilter
    from factcheck.services.search import search as run_search

    filters = ClaimFilter(
        source=source,
        tag=tag,
        entity=entity,
        claimant=claimant,
        verdict=verdict,
        unreviewed=unreviewed,
        kind=kind,
        since=since,
        until=until,
    )
    page = paging.requested(limit, offset, all_, json_)
    with state(ctx).database().store() as store:
        claims = run_search(store, query, page, filters)
    render.claims_page(claims, json_)
