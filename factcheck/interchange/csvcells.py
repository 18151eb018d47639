"""CSV cells that a spreadsheet shows as text and never runs as a formula, and back.

Every CSV factcheck writes (`export --format csv`, `report contradictions --format csv`, `report
sources --format csv`) goes through `csv_lines`, and the CSV import reads cells through
`restore`: one rule, written once.

A spreadsheet opening a CSV may take a cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return (the characters OWASP lists) for a formula, so a claim such as
`=HYPERLINK("http://evil.example", "source")` or `-2+3` would run, or fetch, in the
researcher's spreadsheet. As OWASP advises, such a text cell is written with a single quote in
front, which the spreadsheet shows as text: `'=HYPERLINK(...)`. So that the import can take the
quote off again without guessing, a text that itself starts with a quote followed by one of those
characters or by another quote gets one too; any other text is written as it is (`'Tis`, `'90s`).
The import removes one leading quote when the next character is one of `= + - @`, tab, carriage
return or a quote, which gives back exactly the text that was exported.

Numbers are not text: the writers pass ids and counts as integers, written as they are (none of
them is ever negative).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence

# What makes a spreadsheet read a cell as a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PREFIX = "'"
_AFTER_PREFIX = (*FORMULA_START, _PREFIX)
_NEEDS_QUOTES = re.compile('[,"\r\n]')


def neutralise(text: str) -> str:
    """The cell for `text`: a quote in front when it would start a formula or when the import
    would otherwise take its own leading quote for one put there (`restore` undoes it)."""
    if text.startswith(FORMULA_START) or (
        text.startswith(_PREFIX) and text[1:].startswith(_AFTER_PREFIX)
    ):
        return _PREFIX + text
    return text


def restore(cell: str) -> str:
    """The text a cell written by `neutralise` holds."""
    if cell.startswith(_PREFIX) and cell[1:].startswith(_AFTER_PREFIX):
        return cell[1:]
    return cell


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[str | int]]) -> Iterator[str]:
    """CSV text, the header then one line per row, as it is made: text cells neutralised,
    integers written as numbers."""
    yield csv_line(header)
    for row in rows:
        yield csv_line([neutralise(cell) if isinstance(cell, str) else str(cell) for cell in row])


def csv_line(cells: Sequence[str]) -> str:
    """One row of CSV, cells as given, ending in a newline: a cell holding a comma, a double
    quote, a newline or a carriage return is quoted (RFC 4180). Python's `csv.writer` (3.11,
    the oldest Python factcheck supports) leaves a carriage return unquoted when lines end in
    "\\n" alone, and every reader then breaks the row there: "safe\\rEVIL" read back as two
    rows."""
    line = ",".join(
        '"' + cell.replace('"', '""') + '"' if _NEEDS_QUOTES.search(cell) else cell
        for cell in cells
    )
    # A row of one empty cell would be an empty line, which readers skip.
    return (line if line or len(cells) != 1 else '""') + "\n"
