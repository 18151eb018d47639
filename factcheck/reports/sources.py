"""The per-source scorecard rendered as text (rich), Markdown and CSV."""

from __future__ import annotations

import csv
import io

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from factcheck.services.report import SourceScore


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {n}" for key, n in counts.items())


def _rows(scores: list[SourceScore]) -> list[list[str]]:
    return [
        [
            s.key,
            s.published or "",
            str(s.claims),
            _counts(s.verdicts),
            str(s.unreviewed),
            _counts(s.contradicted_by),
            _counts(s.supported_by),
        ]
        for s in scores
    ]


COLUMNS = ["source", "published", "claims", "verdicts", "unreviewed", "contradicted by",
           "supported by"]  # fmt: skip


def text(scores: list[SourceScore]) -> RenderableType:
    """One block per source: wide tables would truncate the source keys and counts."""
    blocks: list[RenderableType] = [Text("Sources scorecard", style="bold underline")]
    for s in scores:
        head = Text(f"{s.key}", style="bold")
        head.append(f"  {s.published or 'undated'}: {s.title}", style="dim")
        blocks.append(head)
        details = [
            f"claims: {s.claims} ({s.unreviewed} unreviewed)",
            f"verdicts: {_counts(s.verdicts) or 'none'}",
            f"contradicted by: {_counts(s.contradicted_by) or 'none'}",
            f"supported by: {_counts(s.supported_by) or 'none'}",
        ]
        blocks += [Padding(Text(line), (0, 0, 0, 2)) for line in details]
    return Group(*blocks)


def markdown(scores: list[SourceScore]) -> str:
    lines = ["# Sources scorecard", "", "| " + " | ".join(COLUMNS) + " |"]
    lines.append("|" + "---|" * len(COLUMNS))
    lines += [
        "| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in _rows(scores)
    ]
    return "\n".join(lines) + "\n"


def csv_text(scores: list[SourceScore]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([c.replace(" ", "_") for c in COLUMNS])
    writer.writerows(_rows(scores))
    return out.getvalue()
