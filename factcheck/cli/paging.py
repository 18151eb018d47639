"""Long lists a page at a time on a terminal: which rows a listing command shows, and the line
that says how many follow and how to see them. Every listing command (`source list`, `claim list`,
`entity list`, `search`, `log`) pages through here.

The page applies to the terminal only: there a person reads, and thousands of rows would scroll
the first ones away. Piped or redirected output, like `--json`, is for programs and gets every
row, as it always has (`claim list | grep ...` must see them all), unless `--limit` says
otherwise. The line goes to stderr, so it is seen on a terminal and never mixed into the rows.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import typer

from factcheck.cli.errors import usage

if TYPE_CHECKING:
    from factcheck.schemas import Page, PageIn

PAGE_SIZE = 50


def on_terminal() -> bool:
    """Whether a person reads the output (the page is for them, not for pipes and files)."""
    return sys.stdout.isatty()


def requested(limit: int | None, offset: int, all_: bool, as_json: bool) -> PageIn:
    """The rows a listing shows: `--limit N` rows, every one with `--all`, `--json` or output
    that is not a terminal, otherwise a page of PAGE_SIZE; after the first `--offset`."""
    from factcheck.schemas import PageIn

    if all_ and limit is not None:
        usage("--all and --limit contradict each other: give one of them.")
    if limit is None and not (all_ or as_json) and on_terminal():
        limit = PAGE_SIZE
    return PageIn(limit=limit, offset=offset)


def footer(page: Page[Any], one: str, many: str, as_json: bool = False) -> None:
    """On stderr: how many rows follow the page and the options that show them; in the human
    view, also that there were none."""
    if page.more:
        after = page.offset + len(page.items)
        what = one if page.more == 1 else many
        typer.echo(
            f"… {page.more:,} more {what}: --offset {after} for the next page, "
            f"--all for every one.",
            err=True,
        )
    elif not page.items and not as_json:
        typer.echo(
            f"No {many} at --offset {page.offset}." if page.offset else f"No {many}.", err=True
        )
