"""Importing a file: its format told from its name or first bytes (or given), then its records
read by that format's reader (for the flat CSV, services/spreadsheet.py, which checks its rows
against the database) and written by the import engine (services/importer.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from sqlalchemy.orm import Session

from factcheck.errors import InvalidInput, SetAside
from factcheck.interchange.datasets import LIAR_COLUMNS, read_averitec, read_liar
from factcheck.interchange.jsonl import read_records
from factcheck.interchange.records import AnyRecord
from factcheck.limits import line_bounded, read_whole
from factcheck.services.importer import ImportSummary, import_records

IMPORT_FORMATS = ("jsonl", "csv", "claimreview", "liar", "averitec")


def detect_format(name: str, head: bytes) -> str:
    """The format of a file from its name, else from its first bytes; unclear is an error."""
    lower = name.lower()
    for ending, fmt in ((".tsv", "liar"), (".jsonl", "jsonl"), (".csv", "csv")):
        if lower.endswith(ending):
            return fmt
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if b"ClaimReview" in head or b"claimReviewed" in head or b"dataFeedElement" in head:
        return "claimreview"
    if start.startswith(b"["):
        return "averitec"
    if start.startswith(b'{"type"'):
        return "jsonl"
    first_line = head.split(b"\n", 1)[0]
    if first_line.count(b"\t") == LIAR_COLUMNS - 1:
        return "liar"
    if b"claim" in first_line.lower() and b"," in first_line:
        return "csv"
    raise InvalidInput(
        f"cannot tell the format of {name}",
        hint="pass --format jsonl, csv, claimreview, liar or averitec",
    )


def import_stream(
    session: Session,
    stream: BinaryIO,
    name: str,
    fmt: str,
    on_checked: Callable[[int], None] | None = None,
    set_aside: SetAside | None = None,
) -> ImportSummary:
    """Import a file in a format (or "auto"): all of it, or on any error nothing; with
    `set_aside`, the good rows, the others given to it (see services/partial_import.py)."""
    if fmt == "auto":
        fmt = detect_format(name, stream.peek(4096) if hasattr(stream, "peek") else b"")
    records: Iterable[tuple[int, AnyRecord]]
    if fmt == "claimreview":  # JSON documents, read whole
        # Imported here: only a ClaimReview file needs its reader.
        from factcheck.interchange.claimreview import read_claimreview

        records = read_claimreview(read_whole(stream, name), name, set_aside)
        return import_records(session, records, on_checked, set_aside)
    if fmt == "averitec":
        records = read_averitec(read_whole(stream, name), name, set_aside)
        return import_records(session, records, on_checked, set_aside)
    stream = line_bounded(stream, name)  # the other formats are read a line at a time
    if fmt == "csv":
        # Imported here, as ClaimReview's reader above: the CSV's checks load the claim services,
        # which the other formats do not need.
        from factcheck.services.spreadsheet import import_csv

        text_lines = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
        try:
            return import_csv(session, text_lines, on_checked, set_aside)
        except UnicodeDecodeError as exc:
            raise InvalidInput(f"{name} is not valid UTF-8 ({exc.reason})") from exc
        finally:
            text_lines.detach()
    if fmt == "liar":
        records = read_liar(stream, Path(name).stem, set_aside)
    else:
        records = read_records(stream, set_aside)
    return import_records(session, records, on_checked, set_aside)
