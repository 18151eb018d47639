"""Printing: JSON from the output models, or rich tables and text for people.

User text is never parsed as rich markup (a claim may well contain "[1]").

rich is imported on first use, not with this module: the commands that only print an id or JSON
(`claim add`, `--json`) then never pay for it. `console`, `errors` and `SafeConsole` are
attributes of this module all the same (see `__getattr__`).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic import BaseModel

    from factcheck.cli.console import SafeConsole as SafeConsole
    from factcheck.cli.console import Text
    from factcheck.schemas import ClaimDetail, ClaimOut, Created, Page, VerdictOut

    console: SafeConsole
    errors: SafeConsole

_LAZY = ("console", "errors", "SafeConsole")


def __getattr__(name: str) -> Any:
    """`console`, `errors` and `SafeConsole`, from factcheck.cli.console on first access."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from factcheck.cli import console as module

    # Kept as ordinary globals from now on, so later accesses are plain lookups.
    globals().update({attr: getattr(module, attr) for attr in _LAZY})
    return globals()[name]


def document(chunks: Iterable[str] | Iterable[bytes]) -> None:
    """A document (JSON, CSV, Markdown, HTML, DOT...) on stdout, in the pieces it is made in
    (text, or UTF-8 blocks). Piped or redirected it is written exactly as made, as into a file;
    on a terminal its control characters are shown as escapes (`factcheck.text.visible`): an
    ANSI or OSC sequence in a claim, which JSON leaves raw when it is a C1 character and the
    other formats always do, is not obeyed there either."""
    from factcheck.cli.paging import on_terminal

    terminal = on_terminal()
    for chunk in chunks:
        if terminal:
            from factcheck.text import visible

            sys.stdout.write(visible(chunk if isinstance(chunk, str) else chunk.decode()))
        elif isinstance(chunk, bytes):
            sys.stdout.flush()
            sys.stdout.buffer.write(chunk)
        else:
            sys.stdout.write(chunk)
    sys.stdout.flush()


def print_json(data: BaseModel | Sequence[BaseModel] | dict[str, Any]) -> None:
    if isinstance(data, dict):
        payload: Any = data
    elif isinstance(data, Sequence):
        payload = [item.model_dump(mode="json") for item in data]
    else:
        payload = data.model_dump(mode="json")
    document([json.dumps(payload, ensure_ascii=False, indent=2) + "\n"])


def created(result: Created, as_json: bool) -> None:
    """What every creating command prints: warnings on stderr, then the new id (or JSON)."""
    for message in getattr(result, "warnings", []):
        warn(message)
    if as_json:
        print_json(result)
    else:
        # What the console would print for an int, without importing rich for one number.
        sys.stdout.write(f"{result.id}\n")
        sys.stdout.flush()


def print_text(line: str) -> None:
    """A line of text holding user text, never read as rich markup."""
    from factcheck.cli.console import Text, console

    console.print(Text(line))


def warn(message: str) -> None:
    from factcheck.cli.console import Text, errors

    errors.print(Text(f"Warning: {message}", style="yellow"))


def name(actor: str | None) -> str:
    """Who acted, on the line that says so: a name recorded before names were checked (or
    written by another program) that holds a newline cannot start a forged line of its own."""
    from factcheck.text import visible

    return visible(actor, inline=True) if actor else "?"


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


class Grid:
    """Rows under named columns, printed by `show`."""

    def __init__(
        self, *columns: str, header: bool = True, ratios: dict[str, int] | None = None
    ) -> None:
        self.columns = columns
        self.header = header
        # On a terminal: the table takes the whole width, these columns sharing it so.
        self.ratios = ratios or {}
        self.rows: list[tuple[str | Text, ...]] = []

    def add_row(self, *cells: str | Text) -> None:
        self.rows.append(cells)


def table(*columns: str, header: bool = True, ratios: dict[str, int] | None = None) -> Grid:
    return Grid(*columns, header=header, ratios=ratios)


def show(grid: Grid) -> None:
    """A table: on a terminal, aligned columns folded to its width; piped or redirected, one
    line a row (the header first), its fields separated by tabs and never wrapped or cut, as
    `sqlite-utils --tsv` prints them, so that `cut`, `grep` and `awk` see whole rows. A tab or
    newline inside a field is shown as an escape (`\\x09`, `\\x0a`) there, so it cannot split
    a field or a row."""
    from factcheck.cli.paging import on_terminal

    if not on_terminal():
        from factcheck.text import visible

        for row in [grid.columns, *grid.rows] if grid.header else grid.rows:
            fields = (cell if isinstance(cell, str) else cell.plain for cell in row)
            sys.stdout.write("\t".join(visible(field, inline=True) for field in fields) + "\n")
        sys.stdout.flush()
        return
    from rich.table import Table

    from factcheck.cli.console import console

    folded = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    folded.show_header = grid.header
    folded.expand = bool(grid.ratios)
    for name in grid.columns:
        folded.add_column(name, overflow="fold", ratio=grid.ratios.get(name))
    for row in grid.rows:
        folded.add_row(*row)
    console.print(folded)


def cut(text: str, limit: int) -> str:
    """`text` in at most `limit` characters on a terminal, where a line longer than the screen
    is hard to read; whole when piped or redirected, where a program reads it."""
    from factcheck.cli.paging import on_terminal

    if len(text) <= limit or not on_terminal():
        return text
    return text[: limit - 1].rstrip() + "…"


def verdict_text(verdict: VerdictOut | None) -> Text:
    from factcheck.cli.console import Text

    if verdict is None:
        return Text("unreviewed", style="dim")
    colour = {"supported": "green", "refuted": "red", "mixed": "yellow"}.get(verdict.polarity)
    return Text(verdict.label, style=colour or "")


def claims_page(claims: Page[ClaimOut], as_json: bool) -> None:
    """A page of claims (`claim list`, `search`): JSON or a table, and what follows it."""
    from factcheck.cli import paging

    if as_json:
        print_json(claims.items)
    else:
        claims_table(claims.items)
    paging.footer(claims, "claim", "claims", as_json)


def claims_table(claims: Sequence[ClaimOut]) -> None:
    grid = table("id", "kind", "verdict", "sources", "claim")
    for claim in claims:
        sources = ", ".join(dict.fromkeys(a.source_key for a in claim.appearances))
        grid.add_row(str(claim.id), claim.kind, verdict_text(claim.verdict), sources, claim.text)
    show(grid)


def verdict_block(verdict: VerdictOut, indent: str = "  ", current: bool = False) -> None:
    """A verdict, its note and evidence; in a history, marked current or followed by its
    retraction."""
    from factcheck.cli.console import Text, console
    from factcheck.text import quoted

    head = Text(indent)
    head.append_text(verdict_text(verdict))
    value = f", {verdict.value:g}" if verdict.value is not None else ""
    head.append(f" ({verdict.polarity}{value}; scale {verdict.scale})")
    head.append(f"  #{verdict.id} by {name(verdict.created_by)} {when(verdict.created_at)}", "dim")
    if current:
        head.append("  current", "bold")
    console.print(head)
    if verdict.note:
        console.print(Text(f"{indent}  {verdict.note}"))
    for item in verdict.evidence:
        ref = item.source_key or item.url or ""
        console.print(Text(f"{indent}  evidence: {ref}"))
        if item.quote:
            console.print(Text(f"{indent}    {quoted(item.quote)}", style="italic"))
        # The note names what a bare URL or key is (publisher, title, date): a line of its own
        # keeps the URL whole for the terminal to open.
        if item.note:
            console.print(Text(f"{indent}    {item.note}"))
    retraction = verdict.retraction
    if retraction is not None:
        line = Text(f"{indent}retracted", style="bold red")
        line.append(
            f"  by {name(retraction.created_by)} {when(retraction.created_at)}", style="dim"
        )
        console.print(line)
        if retraction.note:
            console.print(Text(f"{indent}  {retraction.note}"))


def claim_detail(claim: ClaimDetail) -> None:
    from factcheck.cli.console import Text, console
    from factcheck.reports import speaker
    from factcheck.text import quoted

    title = Text(f"Claim {claim.id}", style="bold")
    title.append(f" ({claim.kind})  ")
    title.append_text(verdict_text(claim.verdict))
    console.print(title)
    console.print(Text(f"  {claim.text}"))
    if claim.tags:
        console.print(Text(f"  tags: {', '.join(claim.tags)}", style="dim"))
    if claim.entities:
        console.print(Text(f"  entities: {', '.join(claim.entities)}", style="dim"))
    if claim.notes:
        console.print(Text(f"  notes: {claim.notes}", style="dim"))
    console.print(Text("Appearances", style="bold"))
    for a in claim.appearances:
        where = f"{a.start}-{a.end}" if a.start is not None else "no offsets"
        line = Text(f"  [{a.source_key}] {speaker(a)} ({a.stance})  ")
        line.append(f"#{a.id} {a.anchor_status}, {where}", style="dim")
        console.print(line)
        if a.quote:
            console.print(Text(f"    {quoted(a.quote)}", style="italic"))
    if claim.verdict is not None:
        console.print(Text("Current verdict", style="bold"))
        verdict_block(claim.verdict)
    if claim.links:
        console.print(Text("Links", style="bold"))
        for link in claim.links:
            arrow = {"outgoing": "→", "incoming": "←"}.get(link.direction, "↔")
            line = Text(f"  #{link.id} {link.relation} {arrow} claim {link.claim_id}: ")
            line.append(link.text or "")
            console.print(line)
            if link.note:
                console.print(Text(f"      {link.note}", style="dim"))
