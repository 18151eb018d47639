"""The per-source scorecard rendered as text (rich), Markdown and CSV."""

from __future__ import annotations

import csv
import io

from rich.table import Table

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


def text(scores: list[SourceScore]) -> Table:
    table = Table(*COLUMNS, box=None, header_style="bold", title="Sources scorecard")
    for row in _rows(scores):
        table.add_row(*row)
    return table


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
