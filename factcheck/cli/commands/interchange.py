"""`factcheck export`, `factcheck import` and `factcheck seed`: data in and out."""

from __future__ import annotations

import io
import os
import stat
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, BinaryIO, Literal

import typer

from factcheck.cli import render
from factcheck.cli.options import ForceOpt, JsonOpt
from factcheck.cli.state import output_file, state
from factcheck.reports import plural
from factcheck.text import visible

# Files smaller than this import in a moment: no progress bar, and on SQLite no writer process
# (db/writer_process.py: starting one takes about 70 ms, which only a large import repays).
PROGRESS_FROM = WRITER_PROCESS_FROM = 1024 * 1024
# The formats a writer process speeds up, measured (bench/bulk_import.py, dataset_import.py): a
# jsonl dump, whose SQL is about as much work as its reading. Through it, LIAR's train.tsv took
# as long (with more CPU, the two processes' together), a CSV about 2.5x as long (its rows ask
# the database about each source and claim as they come, each question waiting for the other
# process), and AVeriTeC's and ClaimReview's records are few per megabyte: nothing to overlap.
WRITER_PROCESS_FORMATS = ("jsonl",)

if TYPE_CHECKING:
    from factcheck.services.importer import ImportSummary


def _summary(summary: ImportSummary, json_: bool, what: str) -> None:
    if json_:
        render.print_json(summary)
        return
    added = ", ".join(plural(n, k.replace("_", " ")) for k, n in summary.added.items() if n)
    added = added or "nothing"
    existing = sum(summary.existing.values())
    verb = "would add" if summary.dry_run else "added"
    line = f"{what}: {verb} {added}"
    present = ""
    if existing:
        already = plural(existing, "record")
        present = f" ({already} {'was' if existing == 1 else 'were'} already present)"
    # What the file's format could not carry (a CSV's limits), on a line of its own.
    note = f"Note: {summary.note}." if summary.note else None
    if not sys.stdout.isatty():
        # Plain, as the text report: rich (tens of milliseconds to import) only dims a part of
        # the line on a terminal.
        sys.stdout.write(visible(line + present) + "\n" + (visible(note) + "\n" if note else ""))
        sys.stdout.flush()
        return
    from factcheck.cli.console import Text

    text = Text(line)
    text.append(present, style="dim")
    render.console.print(text)
    if note:
        render.console.print(Text(note, style="dim"))


def export(
    ctx: typer.Context,
    format_: Annotated[
        Literal["jsonl", "csv", "claimreview"],
        typer.Option("--format", "-f", help="File format."),
    ] = "jsonl",
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of stdout."),
    ] = None,
    force: ForceOpt = False,
) -> None:
    """Export the database: `jsonl` is the lossless dump (one JSON record per line; importing
    it into an empty database and exporting again gives the same bytes); `csv` is a flat table,
    one row per appearance of a claim, for spreadsheets, that imports again the same (sources,
    verdict histories and rating labels included; not source texts, entities, links or the edit
    history); `claimreview` is a schema.org DataFeed of ClaimReview items, one per claim with a
    verdict.

    Example: factcheck export --output backup.jsonl
    """
    from factcheck.services.export import export_claimreview, export_csv, export_jsonl

    writer = {"csv": export_csv, "claimreview": export_claimreview}.get(format_, export_jsonl)
    database = state(ctx).database()
    if output is None:
        with database.read() as session:
            render.document(writer(session))
        return
    with (
        output_file(database, output, force).writing() as path,
        database.read() as session,
        path.open("w", encoding="utf-8", newline="\n") as out,
        _counting(output) as count,
    ):
        for line in writer(session):
            out.write(line)
            count()
    render.errors.print(f"Exported to {output}.")


@contextmanager
def _progress(stream: BinaryIO, name: str) -> Iterator[tuple[BinaryIO, Callable[[int], None]]]:
    """The stream, read through a progress bar on stderr when the file is large and a person is
    watching, and what to call once it is read and checked (the bar then says it is writing)."""
    status = _status(stream)
    size = 0 if status is None else status.st_size
    if size < PROGRESS_FROM or not sys.stderr.isatty():
        yield stream, lambda _count: None
        return
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
    with Progress(*columns, console=render.errors, transient=True) as progress:
        task = progress.add_task(f"Reading {name}", total=size)
        reader = progress.wrap_file(stream, task_id=task)

        def writing(count: int) -> None:
            progress.update(task, description=f"Writing {count:,} records", total=None)

        yield io.BufferedReader(reader), writing  # type: ignore[type-var]


def _status(stream: BinaryIO) -> os.stat_result | None:
    """The file behind the stream, if it has one (not an in-memory stream)."""
    try:
        return os.fstat(stream.fileno())
    except (OSError, ValueError):
        return None


def _large(stream: BinaryIO) -> bool:
    """Whether a file is worth a writer process: a large file, or a pipe (of unknown length)."""
    status = _status(stream)
    if status is None:
        return False
    return stat.S_ISFIFO(status.st_mode) or status.st_size >= WRITER_PROCESS_FROM


@contextmanager
def _counting(output: Path) -> Iterator[Callable[[], None]]:
    """A running count of the lines written, on stderr when a person is watching."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
    with Progress(*columns, console=render.errors, transient=True) as progress:
        task = progress.add_task(f"Writing {output}", total=None)
        written = 0

        def count() -> None:
            nonlocal written
            written += 1
            if written % 1000 == 0:
                progress.update(task, description=f"Writing {output}: {written:,} lines")

        yield count


def import_(
    ctx: typer.Context,
    file: Annotated[str, typer.Argument(metavar="FILE", help="File to import (- for stdin).")],
    format_: Annotated[
        Literal["auto", "jsonl", "csv", "claimreview", "liar", "averitec"],
        typer.Option("--format", "-f", help="File format (auto: from the name and contents)."),
    ] = "auto",
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check everything, change nothing.")
    ] = False,
    rejects: Annotated[
        Path | None,
        typer.Option(
            "--rejects",
            metavar="FILE",
            help="Import the good rows and write the rejected ones, with reasons, to FILE "
            "(JSON lines) instead of failing.",
        ),
    ] = None,
    force: ForceOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Import a file: all of it or, on any error, none of it; with --rejects, the good rows,
    the others set aside with their reasons. Records already in the database are recognised and
    not added twice.

    Formats: jsonl (factcheck's lossless dump); csv (a flat table for bulk entry from
    spreadsheets, one row per appearance: claim, source, quote, claimant, stance, kind, tags,
    verdict, verdict_note, evidence, and the further columns an export writes; see
    docs/design.md); claimreview (schema.org ClaimReview
    JSON-LD, read leniently, labels on a scale of their own); liar (the LIAR dataset's TSV files;
    the file's name, e.g. train.tsv, is kept as the split) and averitec (the AVeriTeC JSON), each
    of the last two with a rating scale of its own.

    Example: factcheck import ../shared/data/liar/train.tsv
    """
    from factcheck.errors import InvalidInput
    from factcheck.services.file_import import detect_format, import_stream

    try:
        stream = sys.stdin.buffer if file == "-" else Path(file).open("rb")  # noqa: SIM115
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        raise InvalidInput(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from exc
    name = "stdin" if file == "-" else file
    if rejects is not None:
        _import_good_rows(ctx, stream, name, format_, dry_run, rejects, force, json_)
        return
    with stream, _progress(stream, name) as (reading, writing):
        fmt: str = format_
        if fmt == "auto":
            fmt = detect_format(name, reading.peek(4096) if hasattr(reading, "peek") else b"")
        writer_process = fmt in WRITER_PROCESS_FORMATS and _large(stream)
        with state(ctx).database().write(dry_run, writer_process) as session:
            summary = import_stream(session, reading, name, fmt, on_checked=writing)
    summary.dry_run = dry_run
    _summary(summary, json_, file)


def _import_good_rows(
    ctx: typer.Context,
    stream: BinaryIO,
    name: str,
    fmt: str,
    dry_run: bool,
    rejects: Path,
    force: bool,
    json_: bool,
) -> None:
    """The good rows and the rejects file, all or nothing: the file is checked before anything
    is imported, and written and synced before the import commits, so a failure to write it
    rolls the import back. Only putting the finished file in its place (a rename) comes after."""
    from factcheck.errors import FactcheckError
    from factcheck.limits import read_whole
    from factcheck.services.partial_import import import_good_rows

    database = state(ctx).database()
    reading = None if stream is sys.stdin.buffer else Path(name)
    committed = False
    try:
        with stream, output_file(database, rejects, force, reading).writing() as path:
            data = read_whole(stream, name)
            with database.write(dry_run=dry_run) as session:
                summary, rejected, total = import_good_rows(session, data, name, fmt)
                with path.open("w", encoding="utf-8") as out:
                    out.writelines(r.model_dump_json() + "\n" for r in rejected)
                    out.flush()
                    # A full disk may say so only here: before the commit, so it rolls back.
                    os.fsync(out.fileno())
            committed = not dry_run
    except FactcheckError as exc:
        if not committed:
            raise
        # Another process changed the file or its directory in the last instant.
        raise FactcheckError(
            f"the rows were imported, but the rejects file was not written: {exc.message}",
            hint="import the same file again with --rejects: the rows already imported are "
            "recognised, and the rejected ones written again",
        ) from exc
    summary.dry_run = dry_run
    summary.rows, summary.rejected = total, len(rejected)
    _summary(summary, json_, name)
    if not json_:
        accepted = total - len(rejected)
        render.errors.print(
            f"{plural(accepted, 'row')} accepted, {len(rejected)} rejected (reasons in {rejects})."
        )


def seed(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Load the bundled founding corpus: five articles on the killing of Qassem Soleimani, with
    their claims, verdicts and links. A second run adds nothing.

    Example: factcheck seed && factcheck report contradictions
    """
    from factcheck.services.seed import load_seed

    with state(ctx).database().write() as session:
        summary = load_seed(session)
    _summary(summary, json_, "Seed corpus")
