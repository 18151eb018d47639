"""`factcheck claim ...`: claims and where they appear."""

from typing import Annotated

import typer

from factcheck.cli import paging, render
from factcheck.cli.errors import usage
from factcheck.cli.options import (
    AllOpt,
    ClaimantFilterOpt,
    ClaimantOpt,
    ClaimIdArg,
    ClearOpt,
    EntityFilterOpt,
    JsonOpt,
    KindOpt,
    LimitOpt,
    OffsetOpt,
    SinceOpt,
    SourceOpt,
    StanceOpt,
    TagFilterOpt,
    UnanchoredOpt,
    UnreviewedOpt,
    UntilOpt,
    VerdictFilterOpt,
)
from factcheck.cli.removal import YesOpt, remove, removed
from factcheck.cli.state import ask_optional, interactive, state
from factcheck.vocab import MAX_INT

app = typer.Typer(help="Log claims, cite their appearances, list and show them.")

TagOpt = Annotated[list[str] | None, typer.Option("--tag", "-t", help="Tag (repeatable).")]
EntityOpt = Annotated[
    list[str] | None,
    typer.Option("--entity", help="Entity the claim mentions: id, name or alias (repeatable)."),
]


@app.command("add")
def add(
    ctx: typer.Context,
    text: Annotated[
        str | None, typer.Argument(help="The claim, in canonical wording.", show_default=False)
    ] = None,
    source: SourceOpt = None,
    quote: Annotated[
        str | None, typer.Option("--quote", "-q", help="The exact words in the source.")
    ] = None,
    claimant: ClaimantOpt = None,
    kind: KindOpt = None,
    stance: StanceOpt = "asserts",
    tag: TagOpt = None,
    entity: EntityOpt = None,
    notes: Annotated[str | None, typer.Option(help="Free notes.")] = None,
    unanchored: UnanchoredOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Add a claim with its first appearance and print the claim's id.

    The quote is anchored in the source text: exactly, else ignoring case, quote marks,
    apostrophes, dashes and spacing; otherwise the command fails and shows the closest passage.
    Run in a terminal without TEXT or --source, it asks for what is missing.

    Example: factcheck claim add "Iran forewarned Iraq before its missile strikes" --source 4
    --quote "Iran had forewarned Iraq" --claimant "Editorial Team" --tag iran
    """
    from factcheck.schemas import AppearanceIn, ClaimIn
    from factcheck.services.claims import add_claim

    if text is None or source is None:
        if not interactive():
            usage("Missing argument 'TEXT'." if text is None else "Missing option '--source'.")
        text = text or typer.prompt("Claim")
        source = source or typer.prompt("Source (id or key)")
        quote = quote or ask_optional("Quote from the source (optional)")
        claimant = claimant or ask_optional("Claimant (optional; default: the source's author)")
        kind = kind or typer.prompt("Kind (fact, prediction, opinion)", default="fact")
    data = ClaimIn(
        text=text,
        kind=kind or "fact",
        notes=notes,
        tags=tag or [],
        entities=entity or [],
        appearance=AppearanceIn(
            source=source,
            quote=quote,
            claimant=claimant,
            stance=stance,
            unanchored=unanchored,
        ),
    )
    with state(ctx).database().store(write=True) as store:
        created = add_claim(store, data)
    render.created(created, json_)


@app.command("cite")
def cite(
    ctx: typer.Context,
    claim_id: ClaimIdArg,
    source: SourceOpt = None,
    quote: Annotated[
        str | None, typer.Option("--quote", "-q", help="The exact words in the source.")
    ] = None,
    claimant: ClaimantOpt = None,
    stance: StanceOpt = "asserts",
    unanchored: UnanchoredOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Record another appearance of an existing claim and print the claim's id.

    Example: factcheck claim cite 12 --source 003-politico --quote "some two dozen militiamen"
    --claimant "POLITICO"
    """
    from factcheck.schemas import AppearanceIn
    from factcheck.services.claims import cite_claim

    if source is None:
        if not interactive():
            usage("Missing option '--source'.")
        source = typer.prompt("Source (id or key)")
        quote = quote or ask_optional("Quote from the source (optional)")
    data = AppearanceIn(
        source=source, quote=quote, claimant=claimant, stance=stance, unanchored=unanchored
    )
    with state(ctx).database().store(write=True) as store:
        created = cite_claim(store, claim_id, data)
    render.created(created, json_)


@app.command("list")
def list_(
    ctx: typer.Context,
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
    """List claims with their current verdicts, oldest first.

    Example: factcheck claim list --source 004 --verdict false
    """
    from factcheck.schemas import ClaimFilter
    from factcheck.services.claims import list_claims

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
        claims = list_claims(store, filters, page)
    render.claims_page(claims, json_)


@app.command("show")
def show(ctx: typer.Context, claim_id: ClaimIdArg, json_: JsonOpt = False) -> None:
    """Show a claim: its appearances and quotes, current verdict, tags and links.

    Example: factcheck claim show 12
    """
    from factcheck.services.claims import show_claim

    with state(ctx).database().store() as store:
        claim = show_claim(store, claim_id)
    if json_:
        render.print_json(claim)
    else:
        render.claim_detail(claim)


@app.command("edit")
def edit(
    ctx: typer.Context,
    claim_id: ClaimIdArg,
    text: Annotated[str | None, typer.Option("--text", help="New canonical wording.")] = None,
    kind: KindOpt = None,
    notes: Annotated[str | None, typer.Option(help="Replace the notes.")] = None,
    add_tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="Add a tag.")] = None,
    remove_tag: Annotated[
        list[str] | None, typer.Option("--untag", metavar="TAG", help="Remove a tag.")
    ] = None,
    add_entity: EntityOpt = None,
    remove_entity: Annotated[
        list[str] | None,
        typer.Option("--unentity", metavar="ENTITY", help="Remove an entity mention."),
    ] = None,
    clear: ClearOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Change a claim's wording, kind, notes or tags (the old values stay in `factcheck log`).
    `--clear notes` empties its notes.

    Example: factcheck claim edit 12 --kind prediction --tag retaliation
    """
    from factcheck.schemas import ClaimEdit
    from factcheck.services.claims import edit_claim

    data = ClaimEdit(
        text=text,
        kind=kind,
        notes=notes,
        add_tags=add_tag or [],
        remove_tags=remove_tag or [],
        add_entities=add_entity or [],
        remove_entities=remove_entity or [],
        clear=clear or [],
    )
    with state(ctx).database().store(write=True) as store:
        claim = edit_claim(store, claim_id, data)
    if json_:
        render.print_json(claim)
    else:
        render.claim_detail(claim)


@app.command("delete")
def delete(
    ctx: typer.Context, claim_id: ClaimIdArg, yes: YesOpt = False, json_: JsonOpt = False
) -> None:
    """Delete a claim with its appearances, verdicts, links, suggestion decisions, entity
    mentions and tags. Says what goes and asks first (`--yes` in scripts); every deleted row
    stays in `factcheck log`.

    Example: factcheck claim delete 12 --yes
    """
    from factcheck.services.removal import claim_removal, delete_claim

    found = remove(
        ctx, lambda s: claim_removal(s, claim_id), lambda s: delete_claim(s, claim_id), yes
    )
    removed(found, json_)


@app.command("uncite")
def uncite(
    ctx: typer.Context,
    claim_id: ClaimIdArg,
    appearance_id: Annotated[
        int,
        typer.Argument(
            help="The appearance's id (#N in `claim show`).", min=0, max=MAX_INT, show_default=False
        ),
    ],
    yes: YesOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Remove one appearance of a claim (a citation made by mistake); the claim stays, with its
    other appearances and its verdicts. Asks first (`--yes` in scripts).

    Example: factcheck claim uncite 12 31 --yes
    """
    from factcheck.services.removal import uncite_claim, uncite_removal

    found = remove(
        ctx,
        lambda s: uncite_removal(s, claim_id, appearance_id),
        lambda s: uncite_claim(s, claim_id, appearance_id),
        yes,
    )
    removed(found, json_)
