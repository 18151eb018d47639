"""Importing the good rows of a file and setting the bad ones aside (`import --rejects FILE`).

The readers and the import engine go on past a row that fails (every such error says which row
in `FactcheckError.row`), setting it aside with the records that refer to it, so the file is
imported in one pass. Only when a dataset row holding several records fails after some of them
were written is the import tried again without that row, so that no part of a rejected row
lands. An error about the whole file (an empty file, a bad header) still stops everything.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from factcheck.errors import FactcheckError, InvalidInput
from factcheck.interchange.claimreview import reviews_in
from factcheck.interchange.csvcells import csv_line
from factcheck.interchange.datasets import REJECTED, load_json
from factcheck.limits import LINE
from factcheck.schemas import Output
from factcheck.services.file_import import detect_format, import_stream
from factcheck.services.importer import ImportSummary


class Rejected(Output):
    row: int
    reason: str
    content: str


class _Lines:
    """jsonl and LIAR: a row is a line (the jsonl header, line 1, cannot be set aside)."""

    def __init__(self, data: bytes, first_data_row: int) -> None:
        self.lines = data.splitlines(keepends=True)
        self.first = first_data_row
        self.total = sum(1 for line in self.lines[first_data_row - 1 :] if line.strip())

    def reject(self, row: int) -> str | None:
        if not self.first <= row <= len(self.lines) or not self.lines[row - 1].strip():
            return None
        content = self.lines[row - 1].decode("utf-8", errors="replace").rstrip("\r\n")
        self.lines[row - 1] = b"\n"
        return content

    def render(self) -> bytes:
        return b"".join(self.lines)


class _CsvRows:
    """CSV: row 1 is the header; a data row is a record (it may span lines)."""

    def __init__(self, data: bytes) -> None:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"the file is not valid UTF-8 ({exc.reason})") from exc
        csv.field_size_limit(LINE.value)
        try:
            self.records = list(csv.reader(io.StringIO(text, newline=""), strict=True))
        except csv.Error as exc:
            raise InvalidInput(f"the file is not valid CSV ({exc})") from exc
        self.total = sum(1 for r in self.records[1:] if any(f.strip() for f in r))

    def reject(self, row: int) -> str | None:
        if not 2 <= row <= len(self.records) or not self.records[row - 1]:
            return None
        content = ",".join(self.records[row - 1])
        self.records[row - 1] = []
        return content

    def render(self) -> bytes:
        # The cells exactly as read (a quote in front of a formula stays for the import to take
        # off), quoted so that a carriage return in one cannot split its row.
        return "".join(csv_line(record) for record in self.records).encode("utf-8")


class _JsonItems:
    """AVeriTeC and ClaimReview: a row is an item; a rejected one is replaced in place."""

    def __init__(self, data: bytes, name: str, items: Callable[[Any], list[Any]]) -> None:
        self.document = load_json(data, name)
        self.items = items(self.document)
        self.total = len(self.items)

    def reject(self, row: int) -> str | None:
        if not 1 <= row <= len(self.items) or self.items[row - 1] == REJECTED:
            return None
        item = self.items[row - 1]
        content = json.dumps(item, ensure_ascii=False)
        if isinstance(item, dict):
            item.clear()
            item.update(REJECTED)
        else:
            self.items[row - 1] = REJECTED
            if isinstance(self.document, list):
                self.document[row - 1] = REJECTED
        return content

    def render(self) -> bytes:
        return json.dumps(self.document, ensure_ascii=False).encode("utf-8")


class _Found:
    """The rows one pass set aside (the first error of each), and those partly written."""

    def __init__(self) -> None:
        self.errors: dict[int, FactcheckError] = {}
        self.partly_written: set[int] = set()

    def __call__(self, error: FactcheckError, written: bool = False) -> None:
        assert error.row is not None
        self.errors.setdefault(error.row, error)
        if written:
            self.partly_written.add(error.row)


def _units(fmt: str, data: bytes, name: str) -> _Lines | _CsvRows | _JsonItems:
    if fmt == "jsonl":
        return _Lines(data, first_data_row=2)
    if fmt == "liar":
        return _Lines(data, first_data_row=1)
    if fmt == "csv":
        return _CsvRows(data)
    if fmt == "averitec":
        return _JsonItems(data, name, lambda doc: doc if isinstance(doc, list) else [])
    return _JsonItems(data, name, reviews_in)


def import_good_rows(
    session: Session, data: bytes, name: str, fmt: str
) -> tuple[ImportSummary, list[Rejected], int]:
    """Import what can be imported; return the summary, the rejected rows and the row total."""
    if fmt == "auto":
        fmt = detect_format(name, data[:4096])
    units = _units(fmt, data, name)
    rejected: dict[int, Rejected] = {}

    def set_aside_row(row: int, error: FactcheckError) -> None:
        content = units.reject(row)
        if content is None:  # not a row of the file (a header, say): it cannot be set aside
            raise error
        rejected[row] = Rejected(row=row, reason=error.message, content=content)

    reading = data
    while True:
        found = _Found()
        savepoint = session.begin_nested()
        try:
            stream = io.BufferedReader(io.BytesIO(reading))
            summary = import_stream(session, stream, name, fmt, set_aside=found)
        except FactcheckError:
            savepoint.rollback()
            raise
        if found.partly_written:
            # Try again without the rows that could not be taken out on their own.
            savepoint.rollback()
            for row in sorted(found.partly_written):
                set_aside_row(row, found.errors[row])
            reading = units.render()
            continue
        savepoint.commit()
        for row, error in found.errors.items():
            set_aside_row(row, error)
        return summary, sorted(rejected.values(), key=lambda r: r.row), units.total
