"""Options shared by many commands, defined once."""

from typing import Annotated

import typer

from factcheck.cli.paging import PAGE_SIZE
from factcheck.vocab import MAX_INT, ClaimKind, Relation, Stance

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON only (machine-readable).")]
LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "-n",
        metavar="N",
        min=1,
        max=MAX_INT,
        help=f"Show at most N results. Default: a page of {PAGE_SIZE} on a terminal; every one "
        "when the output is piped or --json.",
        show_default=False,
    ),
]
OffsetOpt = Annotated[
    int,
    typer.Option(
        "--offset",
        metavar="N",
        min=0,
        max=MAX_INT,
        help="Skip the first N results (the next page).",
        show_default=False,
    ),
]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force",
        help="Replace FILE if it exists (never a database, nor anything but a regular file).",
    ),
]
AllOpt = Annotated[bool, typer.Option("--all", help="Show every result, even on a terminal.")]
ClaimIdArg = Annotated[
    int, typer.Argument(help="Claim id.", min=0, max=MAX_INT, show_default=False)
]
SourceOpt = Annotated[
    str | None, typer.Option("--source", "-s", help="Source id or key.", show_default=False)
]
ClaimantOpt = Annotated[
    str | None,
    typer.Option(help="Who makes the claim: the author, or the person quoted (default: author)."),
]
StanceOpt = Annotated[Stance, typer.Option(help="The source's stance toward the claim.")]
UnanchoredOpt = Annotated[
    bool,
    typer.Option(
        "--unanchored", help="Keep a quote that cannot be found in the source text, as given."
    ),
]
KindOpt = Annotated[ClaimKind | None, typer.Option(help="Kind of claim.")]
RelationOpt = Annotated[Relation, typer.Option("--relation", "-r", help="Link type.")]
# Edit commands: the optional fields to empty, checked against the command's list of them
# (factcheck/vocab.py) and named in its description.
ClearOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--clear",
        metavar="FIELD",
        help='Empty this optional field (repeatable). An empty value (--notes "") leaves a '
        "field as it is.",
        show_default=False,
    ),
]
