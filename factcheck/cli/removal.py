"""How every removing command asks first: what will go, table by table, then a question on a
terminal; a script says `--yes` instead, and without it nothing is removed."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from factcheck.cli import render
from factcheck.cli.errors import fail
from factcheck.cli.state import interactive, state

if TYPE_CHECKING:
    from factcheck.db.store import Store
    from factcheck.schemas import Removal

T = TypeVar("T")

YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="Remove without asking (for scripts).")]


def described(removal: Removal, most: int | None = None) -> str:
    """ "claim 12 (claims 1, appearances 2, verdicts 1)": the rows of each table that go; with
    `most`, the tables after the first `most` summed (an error stays one readable line)."""
    rows = list(removal.rows.items())
    shown, rest = (rows, []) if most is None else (rows[:most], rows[most:])
    counts = [f"{table} {n:,}" for table, n in shown]
    if rest:
        counts.append(f"{sum(n for _, n in rest):,} more in {len(rest)} other tables")
    return f"{removal.what} ({', '.join(counts)})" if counts else removal.what


def ask(what: str, yes: bool, verb: str = "remove", done: str = "removed") -> None:
    """Unless `yes`: say that `what` goes and ask on a terminal. Nobody to ask, or the answer
    no: one error line, and the caller changes nothing. `verb` and `done` name the act
    ("retract", "retracted") when it is not a removal."""
    if yes:
        return
    if not interactive():
        fail(
            f"not {done}: {what}; nobody here to confirm it",
            hint=f"--yes {verb}s without asking",
        )
    render.errors.print(f"This {verb}s {what}.")
    if not typer.confirm(f"{verb.capitalize()}?", default=False, err=True):
        fail(f"nothing {done}")


def remove(
    ctx: typer.Context,
    plan: Callable[[Store], Removal],
    act: Callable[[Store], T],
    yes: bool,
) -> T:
    """Say what `plan` finds will go and ask, unless `yes`; then `act` in one write transaction.
    Nobody to ask and no `--yes`: one error line, nothing removed."""
    database = state(ctx).database()
    if not yes:
        with database.store() as store:
            removal = plan(store)
        ask(described(removal), yes)
    with database.store(write=True) as store:
        return act(store)


def removed(removal: Removal, as_json: bool) -> None:
    """What a removing command prints: what went (the same count it asked about), or JSON."""
    if as_json:
        render.print_json(removal)
    else:
        render.console.print(f"Removed {described(removal)}.")
