"""`factcheck verdict ...`: ratings of claims, append-only, and the labels they use."""

from typing import Annotated

import typer

from factcheck.cli import render
from factcheck.cli.options import ClaimIdArg, JsonOpt
from factcheck.cli.removal import ask
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
    evidence_quote: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence-quote",
            help="The passage of an --evidence source that matters, found in its text as a "
            'claim\'s quote is (repeatable: the Nth belongs to the Nth --evidence; "" for none).',
        ),
    ] = None,
    evidence_note: Annotated[
        list[str] | None,
        typer.Option(
            "--evidence-note",
            help="What an --evidence item shows (repeatable: the Nth belongs to the Nth "
            '--evidence; "" for none).',
        ),
    ] = None,
    scale: ScaleOpt = "default",
    json_: JsonOpt = False,
) -> None:
    """Record a new verdict on a claim and print its id; earlier verdicts stay in its history.

    Each --evidence may have a passage (--evidence-quote, refused unless it is in the source's
    text) and a note (--evidence-note), paired with it by position.

    Example: factcheck verdict set 12 false --note "Camp Taji was attacked on 11 March 2020"
    --evidence 004 --evidence-quote "Camp Taji" --evidence-note "the attack, March 2020"
    """
    from factcheck.schemas import VerdictIn
    from factcheck.services.verdicts import set_verdict

    refs = evidence or []
    quotes, notes = evidence_quote or [], evidence_note or []
    for option, given in (("--evidence-quote", quotes), ("--evidence-note", notes)):
        if len(given) > len(refs):
            raise typer.BadParameter(
                f"{len(given)} given for {len(refs)} --evidence: the Nth belongs to the Nth "
                '--evidence ("" for one without)',
                param_hint=f"'{option}'",
            )
    items = [
        {
            "source": ref,
            "quote": quotes[i] if i < len(quotes) else None,
            "note": notes[i] if i < len(notes) else None,
        }
        for i, ref in enumerate(refs)
    ]
    data = VerdictIn(claim_id=claim_id, label=label, scale=scale, note=note, evidence=items)
    with state(ctx).database().store(write=True) as store:
        created = set_verdict(store, data)
    render.created(created, json_)


@app.command("retract")
def retract(
    ctx: typer.Context,
    claim_id: ClaimIdArg,
    note: Annotated[
        str | None, typer.Option("--note", "-m", help="Why the verdict is taken back.")
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Retract without asking (for scripts).")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Take back a claim's current verdict: the one before it is current again (or, if none,
    the claim is unreviewed). Nothing is deleted: the retraction is a new entry in `verdict
    history` and `factcheck log`. Says which verdict and asks first (`--yes` in scripts);
    run it again to retract the one before.

    Example: factcheck verdict retract 12 --note "set on the wrong claim" --yes
    """
    from factcheck.schemas import RetractionIn
    from factcheck.services.verdicts import retract_verdict, retraction_plan

    data = RetractionIn(claim_id=claim_id, note=note)
    database = state(ctx).database()
    expected = None
    if not yes:
        with database.store() as store:
            verdict = retraction_plan(store, claim_id)
        expected = verdict.id
        what = f"verdict #{verdict.id} ({verdict.label}) of claim {claim_id}"
        ask(what, yes, "retract", "retracted")
    with database.store(write=True) as store:
        done = retract_verdict(store, data, expected)
    if json_:
        render.print_json(done)
        return
    now = (
        f"its verdict is {done.current.label} (#{done.current.id}) again"
        if done.current is not None
        else "it is unreviewed"
    )
    render.print_text(
        f"Retracted verdict #{done.verdict.id} ({done.verdict.label}) of claim {claim_id}: {now}."
    )


@app.command("history")
def history(ctx: typer.Context, claim_id: ClaimIdArg, json_: JsonOpt = False) -> None:
    """Every verdict a claim has had, oldest first, each retraction after the verdict it took
    back; the current verdict is the newest not retracted.

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
    current = next((v.id for v in reversed(verdicts) if v.retraction is None), None)
    for verdict in verdicts:
        render.verdict_block(verdict, indent="", current=verdict.id == current)


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
