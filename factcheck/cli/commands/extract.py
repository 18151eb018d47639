"""`factcheck extract`: candidate claims from a source's text, ranked, with reasons; and a
review that turns the ones a researcher accepts into claims."""

from typing import TYPE_CHECKING, Annotated, cast

import typer

from factcheck.cli import render
from factcheck.cli.errors import fail, usage
from factcheck.cli.options import JsonOpt
from factcheck.cli.state import ask_choice, interactive, state
from factcheck.vocab import CLAIM_KINDS, MAX_INT

if TYPE_CHECKING:
    from factcheck.schemas import ExtractOut, ProposalOut
    from factcheck.vocab import ClaimKind

# A screenful of proposals.
DEFAULT_LIMIT = 20
_CHOICES = "[a]ccept, [e]dit then accept, [s]kip, [q]uit"


def extract(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help="Source id or key.", show_default=False)],
    review: Annotated[
        bool,
        typer.Option(
            "--review", help="Go through the proposals one at a time: accept, edit, skip, quit."
        ),
    ] = False,
    limit: Annotated[
        int,
        typer.Option("--limit", "-n", min=1, max=MAX_INT, help="At most N proposals, best first."),
    ] = DEFAULT_LIMIT,
    min_score: Annotated[
        float, typer.Option("--min-score", min=0.0, max=1.0, help="Only proposals scoring this.")
    ] = 0.0,
    logged: Annotated[
        bool,
        typer.Option(
            "--logged", help="Also the sentences claims already quote (marked), not only new ones."
        ),
    ] = False,
    all_: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Every sentence: also those claims quote or a review decided on (marked).",
        ),
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Propose the claims a source's text makes: its sentences, best first, each with a score
    (0-1) and the reasons for it (quantities, entities and names, an attribution, dates,
    comparisons, predictions; questions, fragments and opinions count less), the kind of
    claim guessed and the claimant taken from the attribution (none: the source's author).

    Sentences that claims already quote in this source are not proposed again (--logged shows
    them, marked). With --review, each proposal is accepted (as it is, or reworded, with
    another claimant or kind), skipped, or the review stopped; an accepted one is added at
    once as a claim whose quote is the sentence, anchored in the source, so stopping half way
    keeps what was accepted. Every acceptance and skip is stored, and a sentence decided on is
    not proposed again (--all shows it, marked, and a review decides on it anew).

    Example: factcheck extract 003-politico --min-score 0.5 --review
    """
    from factcheck.schemas import ExtractQuery
    from factcheck.services.extraction import extract as propose

    if review and json_:
        usage("--review asks questions and prints no JSON; use one or the other.")
    if review and not interactive():
        fail(
            "extract --review asks questions, and nobody can answer them here",
            hint="on a terminal; or `extract --json` and `claim add` for each claim",
        )
    query = ExtractQuery(source=source, limit=limit, min_score=min_score, logged=logged, all=all_)
    database = state(ctx).database()
    with database.store() as store:
        found = propose(store, query)
    if json_:
        render.print_json(found.proposals)
        return
    if review:
        _review(ctx, found)
        return
    if found.proposals:
        _table(found)
    _summary(found)


def _claimant(item: "ProposalOut", author: str | None) -> str:
    if item.claimant is not None:
        return item.claimant
    return f"{author} (author)" if author else "(the author)"


def _marked(item: "ProposalOut") -> str:
    """The sentence on one line, marked with the claims quoting it and the decision on it."""
    sentence = " ".join(item.text.split())
    if item.decided:
        sentence = f"[{item.decided}] {sentence}"
    if item.logged:
        sentence = f"[logged: claim {', '.join(map(str, item.logged))}] {sentence}"
    return sentence


def _table(found: "ExtractOut") -> None:
    from factcheck.cli.console import Text

    # The sentence gets most of the width, the reasons the rest (the claimant is short).
    ratios = {"claimant": 2, "sentence": 6, "why": 3}
    grid = render.table("#", "score", "kind", "claimant", "sentence", "why", ratios=ratios)
    for item in found.proposals:
        why = "; ".join(f"{r.kind}: {r.text}" for r in item.reasons)
        grid.add_row(
            str(item.rank),
            f"{item.score:.2f}",
            item.kind,
            _claimant(item, found.author),
            _marked(item),
            Text(why, style="dim"),
        )
    render.show(grid)


def _summary(found: "ExtractOut") -> None:
    parts = [f"{found.sentences} sentences in {found.source_key}"]
    if found.logged:
        parts.append(f"{found.logged} already logged as quotes")
    if found.decided:
        parts.append(f"{found.decided} decided in a review (--all for them)")
    if found.below_score:
        parts.append(f"{found.below_score} below --min-score")
    if found.more:
        parts.append(f"{found.more} more: --limit for them")
    typer.echo("; ".join(parts) + ".", err=True)


def _show(item: "ProposalOut", count: int, author: str | None) -> None:
    from factcheck.cli.console import Text

    console = render.console
    head = Text(f"{item.rank}/{count}  ", style="bold")
    head.append(f"{item.score:.2f}  {item.kind}  claimant: {_claimant(item, author)}")
    head.append(f"  (sentence {item.sentence}, {item.start}-{item.end})", style="dim")
    console.print(head)
    console.print(Text(f"  “{_marked(item)}”", style="italic"))
    for reason in item.reasons:
        console.print(Text(f"    - {reason.kind}: {reason.text}", style="dim"))


def _edit(item: "ProposalOut", author: str | None) -> tuple[str, str | None, "ClaimKind"]:
    """The claim as the researcher words it: text, claimant (None: the author), kind."""
    proposed = " ".join(item.text.split())
    text = typer.prompt("Claim (empty: the sentence)", default="", show_default=False).strip()
    guess = _claimant(item, author)
    answer = typer.prompt(
        f"Claimant (empty: {guess}; '-': the author)", default="", show_default=False
    ).strip()
    claimant = None if answer == "-" else (answer or item.claimant)
    kinds = ", ".join(CLAIM_KINDS)
    while True:  # until a kind of the vocabulary
        kind = typer.prompt(f"Kind ({kinds})", default=item.kind).strip().lower()
        if kind in CLAIM_KINDS:
            return text or proposed, claimant, cast("ClaimKind", kind)


def _review(ctx: typer.Context, found: "ExtractOut") -> None:
    from pydantic import ValidationError

    from factcheck.errors import FactcheckError
    from factcheck.schemas import first_error
    from factcheck.services.extraction import accept, skip

    if not found.proposals:
        _summary(found)
        return
    database = state(ctx).database()
    accepted = skipped = 0
    for item in found.proposals:
        typer.echo("")
        _show(item, len(found.proposals), found.author)
        answer = ask_choice(_CHOICES, "aesq")
        if answer == "q":
            break
        if answer == "s":
            with database.store(write=True) as store:
                skip(store, found.source_id, item)
            skipped += 1
            continue
        text: str | None = None
        claimant, kind = item.claimant, item.kind
        if answer == "e":
            try:
                text, claimant, kind = _edit(item, found.author)
            except (EOFError, typer.Abort):
                break  # the end of the input while editing: stop, keeping what was accepted
        try:
            # Each claim in its own transaction: what was accepted stays if the review stops.
            with database.store(write=True) as store:
                created = accept(store, str(found.source_id), item, claimant, text, kind)
        except FactcheckError as exc:
            render.warn(f"not added: {exc.message}")
            continue
        except ValidationError as exc:
            render.warn(f"not added: {first_error(exc)}")
            continue
        for message in created.warnings:
            render.warn(message)
        accepted += 1
        typer.echo(f"Added claim {created.id} (quote at {created.start}-{created.end}).")
    typer.echo(f"{accepted} accepted, {skipped} skipped.", err=True)
