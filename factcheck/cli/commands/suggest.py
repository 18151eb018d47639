"""`factcheck suggest`: candidate links between claims, with reasons; and what to do with them."""

from typing import TYPE_CHECKING, Annotated

import typer

from factcheck.cli import render
from factcheck.cli.errors import fail
from factcheck.cli.options import JsonOpt, SourceOpt
from factcheck.cli.state import ask_choice, interactive, state
from factcheck.vocab import MAX_INT, Decision, Relation, SuggestedRelation

if TYPE_CHECKING:
    from factcheck.schemas import DecisionOut, SuggestionOut

# A screenful of suggestions (each takes three lines or more).
DEFAULT_LIMIT = 20
_SHORT = 110

# The group's help is the callback's docstring (the listing is the group's own command).
app = typer.Typer()

# The filters the listing and the review share.
RelationOpt = Annotated[
    SuggestedRelation | None,
    typer.Option("--relation", "-r", help="Only this relation (default: all three)."),
]
ClaimOpt = Annotated[
    int | None, typer.Option("--claim", "-c", help="Only pairs with this claim.", max=MAX_INT)
]
TagOpt = Annotated[
    str | None, typer.Option("--tag", "-t", help="Only pairs with a claim carrying this tag.")
]
EntityOpt = Annotated[
    str | None,
    typer.Option("--entity", "-e", help="Only pairs with a claim mentioning this entity."),
]
MinScoreOpt = Annotated[
    float,
    typer.Option(
        "--min-score", metavar="SCORE", help="Only suggestions scoring at least SCORE (0-1)."
    ),
]


def _short(text: str) -> str:
    return render.cut(" ".join(text.split()), _SHORT)


@app.callback(invoke_without_command=True)
def suggest(
    ctx: typer.Context,
    relation: RelationOpt = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            "-n",
            metavar="N",
            help="Show at most N suggestions, best first.",
            max=MAX_INT,
        ),
    ] = DEFAULT_LIMIT,
    claim: ClaimOpt = None,
    source: SourceOpt = None,
    tag: TagOpt = None,
    entity: EntityOpt = None,
    min_score: MinScoreOpt = 0.0,
    json_: JsonOpt = False,
) -> None:
    """Candidate links between claims nobody has linked yet, best first, each with its score
    (0-1) and the reasons for it: shared entities and words, a negation or antonym, one claim
    calling the other false, quantities or dates that conflict or agree, verdicts.

    Pairs already linked, or accepted or rejected before, are not suggested again. With
    --source, --tag, --entity or --claim, one claim of each pair passes every filter given.
    A suggestion's id is its pair of claim ids, the same from one run to the next: act on it
    with `suggest accept ID`, `suggest reject ID`, or walk through them with `suggest review`.

    Example: factcheck suggest --relation contradicts --entity Soleimani --limit 5
    """
    if ctx.invoked_subcommand is not None:
        return
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
    for item in found:
        _show(item)


def _show(item: "SuggestionOut", position: str = "") -> None:
    from factcheck.cli.console import Text

    console = render.console
    head = Text(f"{position}{item.id}  ", style="bold")
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


IdsArg = Annotated[
    list[str], typer.Argument(help="Suggestion ids, as `factcheck suggest` prints them (12-45).")
]
NoteOpt = Annotated[str | None, typer.Option("--note", "-m", help="Why (stored with it).")]


def _decided(results: list["DecisionOut"], json_: bool) -> None:
    if json_:
        render.print_json(results)
        return
    for result in results:
        if result.decision == "accepted":
            typer.echo(f"Accepted {result.suggestion}: link {result.link_id} ({result.relation}).")
        else:
            typer.echo(f"Rejected {result.suggestion}.")


@app.command()
def accept(
    ctx: typer.Context,
    ids: IdsArg,
    relation: Annotated[
        Relation | None,
        typer.Option("--relation", "-r", help="Link as this relation instead of the suggested."),
    ] = None,
    note: Annotated[
        str | None,
        typer.Option("--note", "-m", help="The link's note (default: the suggestion's reasons)."),
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Accept suggestions: link each pair (as suggested, or as --relation; `supports` reads
    "the first claim of the id supports the second"), with the reasons as the link's note unless
    --note is given. The decision is recorded (see `factcheck log`) and the pair is not
    suggested again. All or nothing: if one id cannot be accepted, none is.

    Example: factcheck suggest accept 89-90 --relation supports
    """
    from factcheck.services.suggestions import decide

    with state(ctx).database().store(write=True) as store:
        results = decide(store, ids, "accepted", relation, note)
    _decided(results, json_)


@app.command()
def reject(ctx: typer.Context, ids: IdsArg, note: NoteOpt = None, json_: JsonOpt = False) -> None:
    """Reject suggestions: record that the pair was looked at and is not linked, so it is not
    suggested again (see `factcheck log`). All or nothing.

    Example: factcheck suggest reject 1-10 3-77 --note "different events"
    """
    from factcheck.services.suggestions import decide

    with state(ctx).database().store(write=True) as store:
        results = decide(store, ids, "rejected", note=note)
    _decided(results, json_)


_CHOICES = "[a]ccept, accept as an[o]ther relation, [r]eject, [s]kip, [q]uit"
_RELATIONS: tuple[Relation, ...] = ("contradicts", "supports", "refines", "duplicates")


@app.command()
def review(
    ctx: typer.Context,
    relation: RelationOpt = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit",
            "-n",
            metavar="N",
            help="Review at most N suggestions, best first.",
            max=MAX_INT,
        ),
    ] = DEFAULT_LIMIT,
    claim: ClaimOpt = None,
    source: SourceOpt = None,
    tag: TagOpt = None,
    entity: EntityOpt = None,
    min_score: MinScoreOpt = 0.0,
) -> None:
    """Walk through the suggestions one at a time on a terminal: accept (as suggested, or as
    another relation, with a note if you like), reject, skip, or quit. Each decision is saved
    as soon as it is made, so stopping half way keeps what was decided; skipped suggestions
    come back next time.

    Example: factcheck suggest review --relation contradicts --limit 10
    """
    from factcheck.errors import Conflict
    from factcheck.schemas import SuggestQuery
    from factcheck.services.suggestions import decide_shown
    from factcheck.services.suggestions import suggest as find_suggestions

    if not interactive():
        fail(
            "suggest review asks questions, and nobody can answer them here",
            hint="on a terminal; or use `suggest --json` with `suggest accept/reject ID...`",
        )
    query = SuggestQuery(
        relation=relation, limit=limit, min_score=min_score, claim=claim, source=source,
        tag=tag, entity=entity,
    )  # fmt: skip
    database = state(ctx).database()
    with database.store() as store:
        found = find_suggestions(store, query)
    if not found:
        typer.echo("No suggestions.", err=True)
        return
    counts = {"accepted": 0, "rejected": 0, "skipped": 0}
    for number, item in enumerate(found, start=1):
        typer.echo("")
        _show(item, f"{number}/{len(found)}  ")
        answer = ask_choice(_CHOICES, "aorsq")
        if answer == "q":
            break
        if answer == "s":
            counts["skipped"] += 1
            continue
        chosen: Relation | None = None
        note = None
        if answer == "o":
            chosen = _ask_relation(item.relation)
            note = typer.prompt("Note (empty: the reasons)", default="", show_default=False)
            note = note.strip() or None
        decision: Decision = "rejected" if answer == "r" else "accepted"
        try:
            with database.store(write=True) as store:
                result = decide_shown(store, item, decision, chosen, note)
        except Conflict as exc:  # decided or linked meanwhile, by someone else
            render.warn(exc.message)
            continue
        counts[result.decision] += 1
        _decided([result], False)
    typer.echo(
        f"{counts['accepted']} accepted, {counts['rejected']} rejected, "
        f"{counts['skipped']} skipped.",
        err=True,
    )


def _ask_relation(suggested: str) -> "Relation":
    others = [r for r in _RELATIONS if r != suggested]
    letters = "".join(r[0] for r in others)
    question = "Relation: " + ", ".join(f"[{r[0]}]{r[1:]}" for r in others)
    answer = ask_choice(question, letters)
    return next((r for r in others if r[0] == answer), others[0])
