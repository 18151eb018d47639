"""`factcheck source ...`: the documents claims appear in."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from factcheck.cli import paging, render
from factcheck.cli.errors import usage
from factcheck.cli.options import AllOpt, ClearOpt, JsonOpt, LimitOpt, OffsetOpt
from factcheck.cli.removal import YesOpt, remove, removed
from factcheck.cli.state import ask_optional, interactive, state
from factcheck.vocab import SourceKind

app = typer.Typer(help="Add, list, show and edit sources (articles, reports, transcripts...).")

SourceRefArg = Annotated[str, typer.Argument(metavar="ID_OR_KEY", help="Source id or key.")]


def read_text(file: str) -> str:
    """The text of FILE (`-` for standard input), as UTF-8."""
    from factcheck.errors import InvalidInput
    from factcheck.limits import read_whole
    from factcheck.services.sources import decode_text

    if file == "-":
        return decode_text(read_whole(sys.stdin.buffer, "standard input"), "standard input")
    try:
        with Path(file).open("rb") as stream:
            data = read_whole(stream, file)
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        raise InvalidInput(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from exc
    return decode_text(data, file)


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[str | None, typer.Option(help="Title of the document.")] = None,
    url: Annotated[str | None, typer.Option(help="Where it was published.")] = None,
    outlet: Annotated[str | None, typer.Option(help="Publication or site.")] = None,
    author: Annotated[str | None, typer.Option(help="Author or byline.")] = None,
    published: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD."),
    ] = None,
    file: Annotated[
        str | None,
        typer.Option("--file", "-f", help="Read the full text from FILE (UTF-8; - for stdin)."),
    ] = None,
    key: Annotated[
        str | None, typer.Option(help="Short unique slug (default: derived from the title).")
    ] = None,
    kind: Annotated[SourceKind, typer.Option(help="Kind of document.")] = "article",
    language: Annotated[str | None, typer.Option(help="Language code, e.g. en, fa.")] = None,
    notes: Annotated[str | None, typer.Option(help="Free notes.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Add a source and print its id. Prompts for the title (and more) when run interactively.

    Example: factcheck source add --title "The Killing of Qassem Soleimani" --author "Faisal Khan"
    --published 2020-01-04 --file article.txt --key khan-2020
    """
    from factcheck.schemas import SourceIn
    from factcheck.services.sources import add_source

    if title is None:
        if not interactive():
            usage("Missing option '--title'.")
        title = typer.prompt("Title")
        url = url or ask_optional("URL (optional)")
        outlet = outlet or ask_optional("Outlet (optional)")
        author = author or ask_optional("Author (optional)")
        published = published or ask_optional("Published, YYYY[-MM[-DD]] (optional)")
        file = file or ask_optional("Text file (optional)")
    data = SourceIn(
        title=title,
        key=key,
        url=url,
        outlet=outlet,
        author=author,
        published=published,
        kind=kind,
        language=language,
        text=read_text(file) if file is not None else None,
        notes=notes,
    )
    with state(ctx).database().store(write=True) as store:
        created = add_source(store, data)
    render.created(created, json_)


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: LimitOpt = None,
    offset: OffsetOpt = 0,
    all_: AllOpt = False,
    json_: JsonOpt = False,
) -> None:
    """List sources with their keys and claim counts, oldest first.

    Example: factcheck source list --offset 50
    """
    from factcheck.services.sources import list_sources

    page = paging.requested(limit, offset, all_, json_)
    with state(ctx).database().store() as store:
        sources = list_sources(store, page)
    if json_:
        render.print_json(sources.items)
    else:
        grid = render.table("id", "key", "published", "claims", "outlet", "title")
        for s in sources.items:
            grid.add_row(
                str(s.id), s.key, s.published or "", str(s.claims), s.outlet or "", s.title
            )
        render.show(grid)
    paging.footer(sources, "source", "sources", json_)


@app.command("show")
def show(
    ctx: typer.Context,
    ref: SourceRefArg,
    text: Annotated[bool, typer.Option("--text", help="Also print the full text.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Show a source's metadata (and its text with --text).

    Example: factcheck source show khan-2020 --text
    """
    from factcheck.services.sources import show_source

    with state(ctx).database().store() as store:
        source = show_source(store, ref, with_text=text or json_)
    if json_:
        render.print_json(source)
        return
    grid = render.table("field", "value", header=False)
    for field in (
        "id",
        "key",
        "title",
        "kind",
        "author",
        "outlet",
        "published",
        "url",
        "language",
        "claims",
        "text_length",
        "text_sha256",
        "notes",
        "created_by",
    ):
        value = getattr(source, field)
        if value is not None:
            grid.add_row(field, str(value))
    grid.add_row("created_at", render.when(source.created_at))
    render.show(grid)
    if text and source.text is not None:
        render.console.print()
        render.console.print(source.text, soft_wrap=True)


@app.command("edit")
def edit(
    ctx: typer.Context,
    ref: SourceRefArg,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    url: Annotated[str | None, typer.Option(help="New URL.")] = None,
    outlet: Annotated[str | None, typer.Option(help="New outlet.")] = None,
    author: Annotated[str | None, typer.Option(help="New author.")] = None,
    published: Annotated[
        str | None, typer.Option(metavar="DATE", help="New date: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    file: Annotated[
        str | None,
        typer.Option("--file", "-f", help="Replace the text with FILE (UTF-8; - for stdin)."),
    ] = None,
    key: Annotated[str | None, typer.Option(help="New key.")] = None,
    kind: Annotated[SourceKind | None, typer.Option(help="Kind of document.")] = None,
    language: Annotated[str | None, typer.Option(help="Language code.")] = None,
    notes: Annotated[str | None, typer.Option(help="Replace the notes.")] = None,
    clear: ClearOpt = None,
    json_: JsonOpt = False,
) -> None:
    """Change a source's metadata or replace its text (old values stay in `factcheck log`).
    `--clear` empties url, outlet, author, published, language or notes.

    A new text re-verifies every quote anchored in the source: each is found again (its offsets
    updated) or reported and kept unanchored.

    Example: factcheck source edit khan-2020 --file corrected.txt --clear author
    """
    from factcheck.schemas import SourceEdit
    from factcheck.services.sources import edit_source

    data = SourceEdit(
        title=title,
        key=key,
        url=url,
        outlet=outlet,
        author=author,
        published=published,
        kind=kind,
        language=language,
        text=read_text(file) if file is not None else None,
        notes=notes,
        clear=clear or [],
    )
    with state(ctx).database().store(write=True) as store:
        edited = edit_source(store, ref, data)
    if edited.reanchored or edited.unanchored:
        lost = len(edited.unanchored)
        render.errors.print(f"Re-verified quotes: {edited.reanchored} anchored, {lost} unanchored.")
    render.created(edited, json_)


@app.command("delete")
def delete(
    ctx: typer.Context,
    ref: SourceRefArg,
    cascade: Annotated[
        bool,
        typer.Option(
            "--cascade",
            help="Also remove its appearances, and the claims that appear in no other source.",
        ),
    ] = False,
    yes: YesOpt = False,
    json_: JsonOpt = False,
) -> None:
    """Delete a source. Refused while claims appear in it, unless --cascade; refused while a
    verdict rests on it. Says what goes and asks first (`--yes` in scripts); every deleted row
    stays in `factcheck log`.

    Example: factcheck source delete politico --cascade --yes
    """
    from factcheck.services.removal import delete_source, source_removal

    found = remove(
        ctx,
        lambda s: source_removal(s, ref, cascade),
        lambda s: delete_source(s, ref, cascade),
        yes,
    )
    removed(found, json_)
