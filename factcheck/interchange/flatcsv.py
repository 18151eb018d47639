"""The flat CSV format for spreadsheets: one row per appearance of a claim.

Columns (a header row names them; order is free, only `claim` and `source` are required):

| column | meaning |
|---|---|
| `claim` | the claim in canonical wording; rows with the same wording are one claim |
| `source` | key or id of a source already in the database |
| `quote` | the words in the source (anchored like `claim add --quote`) |
| `claimant` | who makes the claim (default: the source's author) |
| `stance` | asserts (default), reports or denies |
| `kind` | fact (default), prediction or opinion |
| `tags` | tags separated by `;` (a `;` within a tag doubled: `;;`) |
| `verdict` | a label of the default rating scale |
| `verdict_note` | the verdict's reasoning |
| `evidence` | source keys or URLs separated by `;` (a `;` within one doubled) |

`factcheck export --format csv` writes the same columns (plus `id`, `verdict_polarity`,
`created_at`, `created_by`), so an export opens in a spreadsheet and imports again. A text cell
that a spreadsheet would run as a formula (`=...`, `+...`, `-...`, `@...`) is written with a
quote in front, and the import takes it off (factcheck.interchange.csvcells).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from factcheck.errors import InvalidInput, SetAside, refuse
from factcheck.interchange.csvcells import csv_lines, restore
from factcheck.limits import LINE
from factcheck.schemas import first_error
from factcheck.vocab import ClaimKind, Stance

INPUT_COLUMNS = ("claim", "source", "quote", "claimant", "stance", "kind", "tags", "verdict",
                 "verdict_note", "evidence")  # fmt: skip
EXPORT_COLUMNS = ("id", *INPUT_COLUMNS[:8], "verdict_polarity", "verdict_note", "evidence",
                  "created_at", "created_by")  # fmt: skip


class CsvRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claim: str
    source: str
    quote: str | None = None
    claimant: str | None = None
    stance: Stance = "asserts"
    kind: ClaimKind = "fact"
    tags: list[str] = []
    verdict: str | None = None
    verdict_note: str | None = None
    evidence: list[str] = []

    @field_validator("tags", "evidence", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return split_items(value) if isinstance(value, str) else value


# A list in one cell: items separated by ";", a ";" within an item (an OSC escape sequence in a
# tag, a URL with parameters) doubled, so that every list comes back as it was.
_ITEM_PART = re.compile(r";;|;|[^;]+")


def join_items(items: Iterable[str]) -> str:
    """The cell for a list of tags or evidence references."""
    return "; ".join(item.replace(";", ";;") for item in items)


def split_items(cell: str) -> list[str]:
    """The list in a cell written by `join_items` (or typed: `a; b`), blank items dropped."""
    items, current = [], ""
    for part in _ITEM_PART.findall(cell):
        if part == ";":
            items.append(current)
            current = ""
        else:
            current += ";" if part == ";;" else part
    return [item.strip() for item in [*items, current] if item.strip()]


def read_rows(
    lines: Iterable[str], set_aside: SetAside | None = None
) -> Iterator[tuple[int, CsvRow]]:
    """(row number, row) for every data row; the header is row 1. With `set_aside`, a bad row
    is set aside and the reading goes on."""
    csv.field_size_limit(LINE.value)  # (a quoted field may hold line breaks)
    reader = csv.reader(lines, strict=True)
    try:
        header = [name.strip().lower() for name in next(reader)]
    except StopIteration:
        raise InvalidInput("the file is empty") from None
    except csv.Error as exc:
        raise InvalidInput(f"row 1: {exc}") from exc
    unknown = [name for name in header if name not in (*INPUT_COLUMNS, *EXPORT_COLUMNS)]
    if unknown:
        raise InvalidInput(
            f"row 1: unknown column {unknown[0]!r}", hint=f"columns: {', '.join(INPUT_COLUMNS)}"
        )
    if len(set(header)) != len(header):
        raise InvalidInput("row 1: a column is named twice")
    for required in ("claim", "source"):
        if required not in header:
            raise InvalidInput(f"row 1: the header has no {required!r} column")
    number = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise InvalidInput(f"row {reader.line_num}: {exc}") from exc
        number += 1
        if not any(field.strip() for field in fields):
            continue
        if len(fields) != len(header):
            found = f"expected {len(header)} fields, found {len(fields)}"
            refuse(InvalidInput(f"row {number}: {found}", row=number), set_aside)
            continue
        # The quote an export put in front of a would-be formula comes off first, so a cell
        # reads back as the text that was exported (then trimmed, as every cell is).
        values = {
            name: restore(value).strip() or None
            for name, value in zip(header, fields, strict=True)
            if name in INPUT_COLUMNS
        }
        try:
            row = CsvRow.model_validate({k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            refuse(InvalidInput(f"row {number}: {first_error(exc)}", row=number), set_aside)
            continue
        yield number, row


def write_rows(rows: Iterable[dict[str, str | int]]) -> Iterator[str]:
    """CSV text, a header then one line per row (text that would start a formula with a quote
    in front, which the import takes off: see factcheck.interchange.csvcells)."""
    return csv_lines(EXPORT_COLUMNS, ([row[name] for name in EXPORT_COLUMNS] for row in rows))
