"""`factcheck verdict ...`: ratings of claims, append-only, and the labels they use."""

from typing import Annotated

import typer

from factcheck.cli import render
from factcheck.cli.options import ClaimIdArg, JsonOpt
from factcheck.cli.state import state
from factcheck.vocab import Polarity

app = typer.Typer(help="Record verdicts, show a claim's verdict history, list rating labels.")

ScaleOpt = Annotated[str, typer.Option(help="Rating scale the label belongs to.")]


@app.command("set")
def set_(
    ctx: typer.Context,
    claim_id: ClaimIdArg,
    label: Annotated[str, typer.Argument(help="Rating label, e.g. false (see `verdict labels`).")],
    note: Annotated[
        str | None, typer.Option("--note", "-m", help="Why: the reasoning and what it rests on.")
    ] = None,
    evidence: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence", "-e", help="Source id/key or URL the verdict rests on (repeatable)."
        ),
    ] = None,
    scale: ScaleOpt = "default",
    json_: JsonOpt = False,
) -> None:
    """Record a new verdict on a claim and print its id; earlier verdicts stay in its history.

    Example: factcheck verdict set 12 false --note "Camp Taji was attacked on 11 March 2020"
    --evidence 004
    """
    from factcheck.schemas import VerdictIn
    from factcheck.services.verdicts import set_verdict

    data = VerdictIn(
        claim_id=claim_id, label=label, scale=scale, note=note, evidence=evidence or []
    )
    with state(ctx).database().store(write=True) as store:
        created = set_verdict(store, data)
    render.created(created, json_)


@app.command("history")
def history(ctx: typer.Context, claim_id: ClaimIdArg, json_: JsonOpt = False) -> None:
    """Every verdict a claim has had, oldest first; the last one is current.

    Example: factcheck verdict history 12
    """
    from factcheck.services.verdicts import verdict_history

    with state(ctx).database().store() as store:
        verdicts = verdict_history(store, claim_id)
    if json_:
        render.print_json(verdicts)
        return
    if not verdicts:
        render.errors.print(f"Claim {claim_id} has no verdict yet.")
    for verdict in verdicts:
        render.verdict_block(verdict, indent="")


@app.command("labels")
def labels(
    ctx: typer.Context,
    scale: Annotated[str | None, typer.Option(help="Only this rating scale.")] = None,
    json_: JsonOpt = False,
) -> None:
    """List the rating labels verdicts can use, with polarity and numeric value.

    Example: factcheck verdict labels --scale default
    """
    from factcheck.services.verdicts import list_labels

    with state(ctx).database().store() as store:
        found = list_labels(store, scale)
    if json_:
        render.print_json(found)
        return
    grid = render.table("scale", "label", "polarity", "value", "description")
    for lab in found:
        value = f"{lab.value:g}" if lab.value is not None else ""
        grid.add_row(lab.scale, lab.label, lab.polarity, value, lab.description or "")
    render.show(grid)


@app.command("define")
def define(
    ctx: typer.Context,
    label: Annotated[str, typer.Argument(help="The new label.")],
    polarity: Annotated[Polarity, typer.Option(help="What the label says of the claim.")],
    value: Annotated[
        float | None, typer.Option(help="Numeric rating (ClaimReview ratingValue).")
    ] = None,
    description: Annotated[str | None, typer.Option(help="What the label means.")] = None,
    scale: ScaleOpt = "default",
    json_: JsonOpt = False,
) -> None:
    """Add a label to a rating scale.

    Example: factcheck verdict define unproven --polarity none --description "Evidence pending"
    """
    from factcheck.schemas import LabelIn
    from factcheck.services.verdicts import define_label

    data = LabelIn(
        label=label, polarity=polarity, value=value, scale=scale, description=description
    )
    with state(ctx).database().store(write=True) as store:
        created = define_label(store, data)
    render.created(created, json_)
