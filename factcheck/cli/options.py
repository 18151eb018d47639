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

# The filters of the commands that list claims (`claim list`, `search`): one meaning for each.
TagFilterOpt = Annotated[
    str | None, typer.Option("--tag", "-t", help="Only claims with this tag.", show_default=False)
]
EntityFilterOpt = Annotated[
    str | None,
    typer.Option(
        help="Only claims mentioning this entity (id, name or any spelling).", show_default=False
    ),
]
ClaimantFilterOpt = Annotated[
    str | None,
    typer.Option(
        "--claimant",
        help="Only claims said by this claimant in one of their appearances (the name ignoring "
        "case, accents and punctuation; an entity's name or spelling: any of its spellings).",
        show_default=False,
    ),
]
VerdictFilterOpt = Annotated[
    str | None,
    typer.Option(help="Only claims whose current verdict has this label.", show_default=False),
]
UnreviewedOpt = Annotated[bool, typer.Option("--unreviewed", help="Only claims without a verdict.")]
SinceOpt = Annotated[
    str | None,
    typer.Option(
        "--since",
        metavar="DATE",
        help="Only claims appearing in a source published on or after DATE (YYYY, YYYY-MM or "
        "YYYY-MM-DD; a source dated 2020-01 counts as published on every day of that month); "
        "sources without a date are left out.",
        show_default=False,
    ),
]
UntilOpt = Annotated[
    str | None,
    typer.Option(
        "--until",
        metavar="DATE",
        help="Only claims appearing in a source published on or before DATE (as --since; "
        "--until 2020 includes the whole year).",
        show_default=False,
    ),
]
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
