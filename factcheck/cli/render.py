"""Printing: JSON from the output models, or rich tables and text for people.

User text is never parsed as rich markup (a claim may well contain "[1]").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.segment import Segment
from rich.table import Table
from rich.text import Text

from factcheck.cli.errors import visible

if TYPE_CHECKING:
    from pydantic import BaseModel

    from factcheck.schemas import ClaimDetail, ClaimOut, Created, VerdictOut


class SafeConsole(Console):
    """A console that never sends control characters from the text it prints to the terminal.

    Claims, notes and tags come from people and datasets; an ANSI or OSC sequence among them would
    otherwise recolour, retitle or garble the researcher's terminal. Rich's own styling travels as
    styles and control segments, which are left alone.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(visible(segment.text), segment.style)
            for segment in buffer
        )


console = SafeConsole(markup=False, highlight=False, soft_wrap=True)
errors = SafeConsole(stderr=True, markup=False, highlight=False, soft_wrap=True)


def print_json(data: BaseModel | Sequence[BaseModel] | dict[str, Any]) -> None:
    if isinstance(data, dict):
        payload: Any = data
    elif isinstance(data, Sequence):
        payload = [item.model_dump(mode="json") for item in data]
    else:
        payload = data.model_dump(mode="json")
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def created(result: Created, as_json: bool) -> None:
    """What every creating command prints: warnings on stderr, then the new id (or JSON)."""
    for message in getattr(result, "warnings", []):
        warn(message)
    if as_json:
        print_json(result)
    else:
        console.print(result.id)


def warn(message: str) -> None:
    errors.print(Text(f"Warning: {message}", style="yellow"))


def when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M")


def table(*columns: str) -> Table:
    grid = Table(show_edge=False, pad_edge=False, box=None, header_style="bold")
    for name in columns:
        grid.add_column(name, overflow="fold")
    return grid


def verdict_text(verdict: VerdictOut | None) -> Text:
    if verdict is None:
        return Text("unreviewed", style="dim")
    colour = {"supported": "green", "refuted": "red", "mixed": "yellow"}.get(verdict.polarity)
    return Text(verdict.label, style=colour or "")


def claims_table(claims: Sequence[ClaimOut]) -> None:
    grid = table("id", "kind", "verdict", "sources", "claim")
    for claim in claims:
        sources = ", ".join(dict.fromkeys(a.source_key for a in claim.appearances))
        grid.add_row(str(claim.id), claim.kind, verdict_text(claim.verdict), sources, claim.text)
    console.print(grid)
    if not claims:
        errors.print("No claims.")


def verdict_block(verdict: VerdictOut, indent: str = "  ") -> None:
    head = Text(indent)
    head.append_text(verdict_text(verdict))
    value = f", {verdict.value:g}" if verdict.value is not None else ""
    head.append(f" ({verdict.polarity}{value}; scale {verdict.scale})")
    head.append(f"  #{verdict.id} by {verdict.created_by or '?'} {when(verdict.created_at)}", "dim")
    console.print(head)
    if verdict.note:
        console.print(Text(f"{indent}  {verdict.note}"))
    for item in verdict.evidence:
        ref = item.source_key or item.url or ""
        console.print(
            Text(f"{indent}  evidence: {ref}" + (f" — {item.quote}" if item.quote else ""))
        )


def claim_detail(claim: ClaimDetail) -> None:
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
        line = Text(f"  [{a.source_key}] {a.claimant or 'unknown claimant'} ({a.stance})  ")
        line.append(f"#{a.id} {a.anchor_status}, {where}", style="dim")
        console.print(line)
        if a.quote:
            console.print(Text(f"    “{a.quote}”", style="italic"))
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
