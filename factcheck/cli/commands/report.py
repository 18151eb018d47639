"""`factcheck report ...`: the contradiction report and the sources scorecard."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from factcheck.cli import render
from factcheck.cli.errors import fail
from factcheck.cli.options import ForceOpt, JsonOpt
from factcheck.cli.state import output_file, state
from factcheck.vocab import PAIR_STATUSES

if TYPE_CHECKING:
    from rich.console import RenderableType

    from factcheck.db.database import Database
    from factcheck.schemas import ReportFilter
    from factcheck.services.report import ContradictionReport

app = typer.Typer(help="Reports: contradictions between claims, and a scorecard per source.")

OutputOpt = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE instead of the terminal."),
]
WIDTH = 100
FORMAT_HELP = "Output format (default: text). --json is the same as --format json."


def _format(format_: str | None, as_json: bool) -> str:
    """The format asked for: `--json` is `--format json`, which every record command takes;
    with another `--format` it is a usage error, caught before any work."""
    if as_json and format_ not in (None, "json"):
        fail(f"--json is --format json, not --format {format_}: give one of them", code=2)
    return "json" if as_json else format_ or "text"


def _plain(renderable: RenderableType) -> str:
    """Rich output as plain text (for files and pipes), at a fixed width."""
    buffer = io.StringIO()
    render.SafeConsole(file=buffer, width=WIDTH, color_system=None).print(renderable)
    return "\n".join(line.rstrip() for line in buffer.getvalue().splitlines()) + "\n"


@contextmanager
def _writing(database: Database, output: Path | None, force: bool) -> Iterator[Path | None]:
    """Where the report goes: None for stdout, else the new file that replaces `output` once
    the report is whole. The file is checked before any work is done."""
    if output is None:
        yield None
        return
    with output_file(database, output, force).writing() as path:
        yield path
    render.errors.print(f"Wrote {output}.")


def _emit(content: str | RenderableType | Iterator[bytes], path: Path | None) -> None:
    """Print `content`, or write it to `path`. An iterator gives UTF-8 blocks of a large
    document, written as they are made."""
    if path is None:
        if isinstance(content, Iterator | str):
            render.document(content if isinstance(content, Iterator) else [content])
        elif sys.stdout.isatty():
            # The text report comes laid out to the terminal's width (a web address may pass
            # it, never cut): printed as it is, not wrapped again.
            from rich.text import Text

            render.console.print(content, soft_wrap=isinstance(content, Text))
        else:
            sys.stdout.write(_plain(content))
            sys.stdout.flush()
        return
    if not isinstance(content, Iterator):
        content = iter([(content if isinstance(content, str) else _plain(content)).encode()])
    with path.open("wb") as out:
        out.writelines(content)


@app.command("contradictions")
def contradictions(
    ctx: typer.Context,
    format_: Annotated[
        Literal["text", "markdown", "html", "json", "csv", "dot"] | None,
        typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False),
    ] = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
    source: Annotated[
        str | None, typer.Option(help="Only pairs with a claim in this source (id or key).")
    ] = None,
    tag: Annotated[str | None, typer.Option(help="Only pairs with a claim with this tag.")] = None,
    entity: Annotated[
        str | None, typer.Option(help="Only pairs with a claim mentioning this entity.")
    ] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(help=f"Only pairs with this status (repeatable): {', '.join(PAIR_STATUSES)}."),
    ] = None,
) -> None:
    """Clusters of contradicting claims, to-do items first: each pair with both claims, their
    appearances, current verdicts, the link's note and a status from the verdicts.

    Statuses: inconsistent (both sides supported), open (a side unreviewed or unverifiable),
    mixed, both-refuted, resolved (one side supported, the other refuted). Agreeing links
    (supports, duplicates) whose sides got opposite verdicts are listed last. Each verdict's
    evidence and each appearance cite a numbered source (S1, S2...), listed at the end with its
    title, author, outlet, date and URL (links in Markdown and HTML).

    Example: factcheck report contradictions --format html --output report.html
    """
    import gc

    from factcheck.schemas import ReportFilter

    chosen = _format(format_, as_json)

    filters = ReportFilter(source=source, tag=tag, entity=entity, status=status or [])
    # The command builds one large acyclic object graph and renders it: the cyclic collector
    # would only rescan it over and over (seconds on a large database).
    collecting = gc.isenabled()
    gc.disable()
    try:
        database = state(ctx).database()
        with _writing(database, output, force) as path:
            _contradictions(database, chosen, path, filters)
    finally:
        if collecting:
            gc.enable()


def _contradictions(
    database: Database, format_: str, path: Path | None, filters: ReportFilter
) -> None:
    from factcheck.services.report import contradiction_report

    with database.store() as store:
        report = contradiction_report(store, filters)
    if format_ == "json":
        from factcheck.reports.json_document import json_document

        _emit(json_document(report), path)
        return
    from factcheck.reports import contradictions as formats

    renderers: dict[str, Callable[[ContradictionReport], str | RenderableType]] = {
        # The same lines in colour at the terminal's width, or plain at a fixed width.
        "text": (lambda r: formats.text(r, render.console.width))
        if path is None and sys.stdout.isatty()
        else lambda r: formats.plain_text(r, WIDTH),
        "markdown": formats.markdown,
        "html": formats.html_page,
        "csv": formats.csv_text,
        "dot": formats.dot,
    }
    _emit(renderers[format_](report), path)


@app.command("sources")
def sources(
    ctx: typer.Context,
    format_: Annotated[
        Literal["text", "markdown", "json", "csv"] | None,
        typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False),
    ] = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """A scorecard per source: its title, author, outlet and URL, the claims logged, their
    current verdicts, and the sources whose claims contradict or support them.

    Example: factcheck report sources --format markdown
    """
    from factcheck.reports import sources as formats
    from factcheck.services.report import SourceScore, source_scorecard

    chosen = _format(format_, as_json)
    database = state(ctx).database()
    with _writing(database, output, force) as path:
        with database.store() as store:
            scores = source_scorecard(store)
        if chosen == "json":
            from pydantic import TypeAdapter

            adapter = TypeAdapter(list[SourceScore])
            _emit(adapter.dump_json(scores, indent=2).decode() + "\n", path)
            return
        renderers: dict[str, Callable[[list[SourceScore]], str | RenderableType]] = {
            "text": formats.text,
            "markdown": formats.markdown,
            "csv": formats.csv_text,
        }
        _emit(renderers[chosen](scores), path)
