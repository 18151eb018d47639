"""The flat CSV format for spreadsheets: one row per appearance of a claim.

Columns (a header row names them; order is free). Only `claim` and `source` are needed to add a
claim; the others describe it further, so that an export imports into an empty database and
exports again to the same file:

| column | meaning |
|---|---|
| `id` | the claim's id: kept for a new claim when the database has no claim of that id |
| `claim` | the claim in canonical wording; rows with the same wording are one claim |
| `source` | key or id of the source it appears in |
| `quote` | the words in the source (anchored like `claim add --quote`) |
| `claimant` | who makes the claim (default: the source's author) |
| `stance` | asserts (default), reports or denies |
| `kind` | fact (default), prediction or opinion |
| `tags` | tags separated by `;` (a `;` within a tag doubled: `;;`) |
| `verdict` | a label of the rating scale `verdict_scale` (default: the default scale) |
| `verdict_polarity` | the label's polarity: with it, a label the scale lacks is added |
| `verdict_note` | the verdict's reasoning |
| `evidence` | source keys or URLs separated by `;` (a `;` within one doubled) |
| `created_at`, `created_by` | when and by whom the claim was added (default: now, you) |
| `notes` | the claim's notes |
| `verdict_scale` | the key of the verdict's rating scale (added when the database lacks it) |
| `verdict_value` | the label's numeric value, for a label the scale lacks |
| `verdict_at`, `verdict_by` | when and by whom the verdict was given (default: now, you) |
| `source_title`, `source_url`, ... | the source's details (also `source_outlet`, `source_author`, |
|   | `source_published`, `source_kind`, `source_language`, `source_notes`): with a title, |
|   | a source the database has no key of is added |

A row without a `source` holds a claim with no appearance, or an earlier verdict of its claim;
a row without a `claim` holds only a source. `factcheck export --format csv` writes every
column: first a row for each source no appearance cites (evidence, say), then for each claim a
row for each of its earlier verdicts, oldest first, then a row for each appearance with the
current verdict. A text cell that a spreadsheet would run as a formula (`=...`, `+...`, `-...`,
`@...`) is written with a quote in front, and the import takes it off
(factcheck.interchange.csvcells). What a CSV does not carry (the sources' texts and the quotes'
offsets in them, evidence quotes and notes, entities, links, suggestion decisions, the edit
history) only the jsonl dump does: `NOT_CARRIED`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from factcheck.errors import InvalidInput, SetAside, refuse
from factcheck.interchange.csvcells import csv_lines, restore
from factcheck.limits import LINE
from factcheck.schemas import Name, NameText, NoteText, first_error
from factcheck.vocab import MAX_INT, ClaimKind, Polarity, Stance

# The columns of the first version, in their order, then those added for the round trip, at the
# end so that a script reading the columns by position still finds the ones it knew.
EXPORT_COLUMNS = ("id", "claim", "source", "quote", "claimant", "stance", "kind", "tags",
                  "verdict", "verdict_polarity", "verdict_note", "evidence", "created_at",
                  "created_by", "notes", "verdict_scale", "verdict_value", "verdict_at",
                  "verdict_by", "source_title", "source_url", "source_outlet", "source_author",
                  "source_published", "source_kind", "source_language", "source_notes")  # fmt: skip
# The columns a researcher typing a sheet needs, named in the hint of a header error.
INPUT_COLUMNS = ("claim", "source", "quote", "claimant", "stance", "kind", "tags", "verdict",
                 "verdict_note", "evidence")  # fmt: skip
SOURCE_COLUMNS = tuple(name for name in EXPORT_COLUMNS if name.startswith("source_"))
# Said by the import and the docs: what only the jsonl dump carries.
NOT_CARRIED = (
    "a CSV does not carry source texts, quote offsets, evidence quotes and notes, entities, "
    "links, suggestion decisions or the edit history: `export --format jsonl` carries them all"
)


class CsvRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: int | None = None
    claim: str | None = None
    source: str | None = None
    quote: str | None = None
    claimant: str | None = None
    stance: Stance = "asserts"
    kind: ClaimKind = "fact"
    tags: list[str] = []
    verdict: str | None = None
    verdict_polarity: Polarity | None = None
    verdict_note: str | None = None
    evidence: list[str] = []
    created_at: datetime | None = None
    created_by: NameText | None = None
    notes: NoteText | None = None
    verdict_scale: Name = "default"
    verdict_value: float | None = None
    verdict_at: datetime | None = None
    verdict_by: NameText | None = None
    # For a source the database lacks: checked as `source add` checks them (SourceIn) when
    # they are used (services/spreadsheet.py).
    source_title: str | None = None
    source_url: str | None = None
    source_outlet: str | None = None
    source_author: str | None = None
    source_published: str | None = None
    source_kind: str | None = None
    source_language: str | None = None
    source_notes: str | None = None

    @field_validator("tags", "evidence", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        return split_items(value) if isinstance(value, str) else value

    @field_validator("id")
    @classmethod
    def _id(cls, value: int | None) -> int | None:
        if value is not None and not 1 <= value <= MAX_INT:
            raise ValueError("not an id")
        return value

    @field_validator("created_at", "verdict_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("a time needs its offset from UTC (as exported: +00:00)")
        return value


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
    unknown = [name for name in header if name not in EXPORT_COLUMNS]
    if unknown:
        raise InvalidInput(
            f"row 1: unknown column {unknown[0]!r}",
            hint=f"columns: {', '.join(INPUT_COLUMNS)}, and those an export has",
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
            name: restore(value).strip() or None for name, value in zip(header, fields, strict=True)
        }
        try:
            row = CsvRow.model_validate({k: v for k, v in values.items() if v is not None})
        except ValidationError as exc:
            refuse(InvalidInput(f"row {number}: {first_error(exc)}", row=number), set_aside)
            continue
        yield number, row


def write_rows(rows: Iterable[dict[str, str | int]]) -> Iterator[str]:
    """CSV text, a header then one line per row, an empty cell for a column the row lacks (text
    that would start a formula with a quote in front, which the import takes off: see
    factcheck.interchange.csvcells)."""
    return csv_lines(
        EXPORT_COLUMNS, ([row.get(name, "") for name in EXPORT_COLUMNS] for row in rows)
    )
