"""`factcheck suggest`: candidate links between claims, with reasons; and what to do with them."""

from typing import Annotated

import typer

from factcheck.cli import render
from factcheck.cli.options import JsonOpt, SourceOpt
from factcheck.cli.state import state
from factcheck.vocab import SuggestedRelation

# A screenful of suggestions (each takes three lines or more).
DEFAULT_LIMIT = 20
_SHORT = 110

# The group's help is the callback's docstring (the listing is the group's own command).
app = typer.Typer()


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHORT else text[: _SHORT - 1].rstrip() + "…"


@app.callback(invoke_without_command=True)
def suggest(
    ctx: typer.Context,
    relation: Annotated[
        SuggestedRelation | None,
        typer.Option("--relation", "-r", help="Only this relation (default: all three)."),
    ] = None,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", help="Show at most N suggestions, best first."),
    ] = DEFAULT_LIMIT,
    claim: Annotated[
        int | None, typer.Option("--claim", "-c", help="Only pairs with this claim.")
    ] = None,
    source: SourceOpt = None,
    tag: Annotated[
        str | None, typer.Option("--tag", "-t", help="Only pairs with a claim carrying this tag.")
    ] = None,
    entity: Annotated[
        str | None,
        typer.Option("--entity", "-e", help="Only pairs with a claim mentioning this entity."),
    ] = None,
    min_score: Annotated[
        float, typer.Option("--min-score", help="Only suggestions scoring at least this (0-1).")
    ] = 0.0,
    json_: JsonOpt = False,
) -> None:
    """Candidate links between claims nobody has linked yet, best first, each with its score
    (0-1) and the reasons for it: shared entities and words, a negation or antonym, one claim
    calling the other false, quantities or dates that conflict or agree, verdicts.

    Pairs already linked are not suggested. With --source, --tag, --entity or --claim, one
    claim of each pair passes every filter given. A suggestion's id is its pair of claim ids.

    Example: factcheck suggest --relation contradicts --entity Soleimani --limit 5
    """
    if ctx.invoked_subcommand is not None:
        return
    from rich.text import Text

    from factcheck.schemas import SuggestQuery
    from factcheck.services.suggestions import suggest as find_suggestions

    query = SuggestQuery(
        relation=relation,
        limit=limit,
        min_score=min_score,
        claim=claim,
        source=source,
        tag=tag,
        entity=entity,
    )
    with state(ctx).database().store() as store:
        found = find_suggestions(store, query)
    if json_:
        render.print_json(found)
        return
    if not found:
        typer.echo("No suggestions.", err=True)
        return
    console = render.console
    for item in found:
        head = Text(f"{item.id}  ", style="bold")
        colour = {"contradicts": "red", "supports": "green"}.get(item.relation, "yellow")
        head.append(item.relation, style=colour)
        head.append(f"  {item.score:.2f}")
        console.print(head)
        for claim_id, text, keys in (
            (item.claim_a, item.text_a, item.sources_a),
            (item.claim_b, item.text_b, item.sources_b),
        ):
            where = f" [{', '.join(keys)}]" if keys else ""
            console.print(Text(f"  {claim_id}{where} {_short(text)}"))
        for reason in item.reasons:
            console.print(Text(f"    - {reason.kind}: {reason.text}", style="dim"))
