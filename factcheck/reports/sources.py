"""The per-source scorecard rendered as text (rich), Markdown and CSV."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.padding import Padding
from rich.text import Text

from factcheck.interchange.csvcells import csv_lines
from factcheck.reports import markdown_link, markdown_text
from factcheck.services.report import SourceScore
from factcheck.text import visible


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {n}" for key, n in counts.items())


def _rows(scores: list[SourceScore]) -> list[list[str | int]]:
    return [
        [
            s.key,
            s.published or "",
            s.claims,
            _counts(s.verdicts),
            s.unreviewed,
            _counts(s.contradicted_by),
            _counts(s.supported_by),
            s.title,
            s.author or "",
            s.outlet or "",
            s.url or "",
        ]
        for s in scores
    ]


# What a reader needs to find each source comes last, so the columns before keep their places.
COLUMNS = ["source", "published", "claims", "verdicts", "unreviewed", "contradicted by",
           "supported by", "title", "author", "outlet", "url"]  # fmt: skip


def text(scores: list[SourceScore]) -> RenderableType:
    """One block per source: wide tables would truncate the source keys and counts. Control
    characters in titles and labels are shown as escapes (rich would drop some of them)."""
    blocks: list[RenderableType] = [Text("Sources scorecard", style="bold underline")]
    for s in scores:
        head = Text(f"{s.key}", style="bold")
        head.append(f"  {s.published or 'undated'}: {visible(s.title)}", style="dim")
        blocks.append(head)
        by = ", ".join(name for name in (s.author, s.outlet) if name)
        details = [
            *([f"by: {by}"] if by else []),
            *([f"url: {s.url}"] if s.url else []),
            f"claims: {s.claims} ({s.unreviewed} unreviewed)",
            f"verdicts: {_counts(s.verdicts) or 'none'}",
            f"contradicted by: {_counts(s.contradicted_by) or 'none'}",
            f"supported by: {_counts(s.supported_by) or 'none'}",
        ]
        blocks += [Padding(Text(visible(line)), (0, 0, 0, 2)) for line in details]
    return Group(*blocks)


def markdown(scores: list[SourceScore]) -> str:
    """The table of the CSV, each source's key a link to its URL (the URL column left out)."""
    columns = COLUMNS[:-1]
    lines = ["# Sources scorecard", "", "| " + " | ".join(columns) + " |"]
    lines.append("|" + "---|" * len(columns))
    for s, row in zip(scores, _rows(scores), strict=True):
        cells = [markdown_link(s.key, s.url)] + [markdown_text(str(c)) for c in row[1:-1]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def csv_text(scores: list[SourceScore]) -> str:
    """One row per source (text cells made safe for spreadsheets: interchange.csvcells)."""
    return "".join(csv_lines([c.replace(" ", "_") for c in COLUMNS], _rows(scores)))
