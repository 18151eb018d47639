"""`factcheck source ...`: the documents claims appear in."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from factcheck.cli import paging, render
from factcheck.cli.errors import usage
from factcheck.cli.options import AllOpt, ClearOpt, JsonOpt, LimitOpt, OffsetOpt
from factcheck.cli.removal import YesOpt, remove, removed
from factcheck.cli.state import ask_optional, interactive, state
from factcheck.vocab import DocumentFormat, SourceKind

if TYPE_CHECKING:
    from factcheck.services.documents import Document
    from factcheck.services.versions import Provenance

    Loaded = tuple[Document, Provenance]

app = typer.Typer(help="Add, list, show and edit sources (articles, reports, transcripts...).")

SourceRefArg = Annotated[str, typer.Argument(metavar="ID_OR_KEY", help="Source id or key.")]


FormatOpt = Annotated[
    DocumentFormat | None,
    typer.Option(
        "--format",
        help="What the file or page is: text, html or markdown (default: recognised).",
    ),
]


def read_bytes(file: str) -> bytes:
    """The bytes of FILE (`-` for standard input), within the file size limit."""
    from factcheck.errors import InvalidInput
    from factcheck.limits import read_whole

    if file == "-":
        return read_whole(sys.stdin.buffer, "standard input")
    try:
        with Path(file).open("rb") as stream:
            return read_whole(stream, file)
    except (OSError, ValueError) as exc:  # ValueError: a NUL character in the path
        raise InvalidInput(f"cannot read {file}: {getattr(exc, 'strerror', None) or exc}") from exc


def load(file: str | None, url: str | None, fmt: DocumentFormat | None) -> "Loaded":
    """The document in FILE, else the page at URL, with its provenance."""
    from factcheck.services.documents import file_document
    from factcheck.services.fetch import fetch_document

    if file is not None:
        return file_document(read_bytes(file), "standard input" if file == "-" else file, fmt)
    assert url is not None
    return fetch_document(url, fmt)


@app.command("add")
def add(
    ctx: typer.Context,
    title: Annotated[
        str | None, typer.Option(help="Title of the document (default: the page's own).")
    ] = None,
    url: Annotated[
        str | None,
        typer.Option(
            help="Fetch the page at this http(s) address (with --file or --no-fetch: only "
            "record where it was published)."
        ),
    ] = None,
    outlet: Annotated[str | None, typer.Option(help="Publication or site.")] = None,
    author: Annotated[str | None, typer.Option(help="Author or byline.")] = None,
    published: Annotated[
        str | None,
        typer.Option(metavar="DATE", help="Publication date: YYYY, YYYY-MM or YYYY-MM-DD."),
    ] = None,
    file: Annotated[
        str | None,
        typer.Option(
            "--file",
            "-f",
            help="Read the text from FILE (- for stdin): plain text (UTF-8), HTML (reduced to "
            "the article's main text) or Markdown.",
        ),
    ] = None,
    format_: FormatOpt = None,
    no_fetch: Annotated[
        bool, typer.Option("--no-fetch", help="Record --url without fetching it.")
    ] = False,
    key: Annotated[
        str | None, typer.Option(help="Short unique slug (default: derived from the title).")
    ] = None,
    kind: Annotated[SourceKind, typer.Option(help="Kind of document.")] = "article",
    language: Annotated[str | None, typer.Option(help="Language code, e.g. en, fa.")] = None,
    notes: Annotated[str | None, typer.Option(help="Free notes.")] = None,
    json_: JsonOpt = False,
) -> None:
    """Add a source and print its id. From an HTML file or page, the title, author, date,
    outlet, address and language come from the page's metadata unless given as options. Prompts
    for the title (and more) when run interactively.

    Example: factcheck source add --url https://example.org/news/soleimani --key example-2020
    """
    from factcheck.schemas import SourceIn
    from factcheck.services.sources import add_source

    # A --url given on the command line is fetched; one answered at the prompt is only recorded.
    fetch = url is not None and not no_fetch and file is None
    if title is None and file is None and not fetch:
        if not interactive():
            usage("Missing option '--title'.")
        title = typer.prompt("Title")
        url = url or ask_optional("URL (optional)")
        outlet = outlet or ask_optional("Outlet (optional)")
        author = author or ask_optional("Author (optional)")
        published = published or ask_optional("Published, YYYY[-MM[-DD]] (optional)")
        file = file or ask_optional("Text file (optional)")
    if fetch:
        # Refused as `--url` before anything is fetched, in the words the source's URL is
        # refused in (the fetcher checks each address again, redirects included).
        from factcheck.errors import InvalidInput
        from factcheck.schemas import web_url

        try:
            web_url(url)
        except ValueError as exc:
            raise InvalidInput(f"--url: {exc}") from None
    loaded = load(file, url, format_) if file is not None or fetch else None
    found = loaded[0] if loaded else None
    if found is not None:
        # What the user typed wins over what the document says of itself.
        title = title or found.title
        # A fetched address is kept as the version's origin; the source's URL is the page's
        # canonical address (without tracking parameters), or where the redirects ended.
        url = found.url if fetch else url or found.url
        outlet = outlet or found.outlet
        author = author or found.author
        published = published or found.published
        language = language or found.language
    if title is None:
        if not interactive():
            usage("Missing option '--title' (the document names no title).")
        title = typer.prompt("Title")
    data = SourceIn(
        title=title,
        key=key,
        url=url,
        outlet=outlet,
        author=author,
        published=published,
        kind=kind,
        language=language,
        text=found.text if found is not None else None,
        notes=notes,
    )
    with state(ctx).database().store(write=True) as store:
        created = add_source(store, data, loaded[1] if loaded else None)
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
    if source.versions:
        versions = render.table("version", "format", "sha256", "length", "fetched", "from")
        for v in source.versions:
            fetched = render.when(v.fetched_at) if v.fetched_at else ""
            versions.add_row(str(v.number), v.format, v.text_sha256[:12], f"{v.text_length:,}",
                             fetched, v.origin or "")  # fmt: skip
        render.show(versions)
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
        typer.Option(
            "--file",
            "-f",
            help="Replace the text with FILE (- for stdin; text, HTML or Markdown), as a new "
            "version.",
        ),
    ] = None,
    format_: FormatOpt = None,
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
        text=None,
        notes=notes,
        clear=clear or [],
    )
    loaded = load(file, None, format_) if file is not None else None
    if loaded is not None:
        data = data.model_copy(update={"text": loaded[0].text})
    with state(ctx).database().store(write=True) as store:
        edited = edit_source(store, ref, data, loaded[1] if loaded else None)
    if edited.reanchored or edited.unanchored:
        lost = len(edited.unanchored)
        render.errors.print(f"Re-verified quotes: {edited.reanchored} anchored, {lost} unanchored.")
    render.created(edited, json_)


ReportFormat = Literal["text", "markdown", "json"]


@app.command("refresh")
def refresh(
    ctx: typer.Context,
    ref: Annotated[
        str | None, typer.Argument(metavar="[ID_OR_KEY]", help="Source id or key.")
    ] = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Refresh every source that has a web address.")
    ] = False,
    file: Annotated[
        str | None,
        typer.Option("--file", "-f", help="Read the text again from FILE instead of fetching."),
    ] = None,
    document_format: Annotated[
        DocumentFormat | None,
        typer.Option("--document-format", help="What FILE is: text, html or markdown."),
    ] = None,
    format_: Annotated[
        ReportFormat, typer.Option("--format", help="The edit report: text, markdown or json.")
    ] = "text",
    json_: JsonOpt = False,
) -> None:
    """Fetch a source's page again (or read its file again with --file); a changed text is kept
    as a new version, every anchored quote is re-verified against it, and an edit report says
    which quotes moved, changed or vanished. Exit status 1 if any source could not be read.

    Example: factcheck source refresh example-2020 --format markdown > edits.md
    """
    from factcheck.errors import FactcheckError
    from factcheck.reports import edits
    from factcheck.services.versions import refresh_targets, replace_text

    if all_ == (ref is not None):
        usage("Give one source, or --all.")
    if all_ and file is not None:
        usage("--file refreshes one source; give it with its ID_OR_KEY.")
    fmt = "json" if json_ else format_
    database = state(ctx).database()
    with database.store() as store:
        targets = refresh_targets(store, ref, needs_address=file is None)
    reports = []
    failed = 0
    for source_id, key, address in targets:
        try:
            loaded = load(file, address, document_format)
            with database.store(write=True) as store:
                reports.append(replace_text(store, source_id, loaded[0].text, loaded[1]))
        except FactcheckError as exc:
            if not all_:
                raise
            failed += 1
            render.errors.print(f"Error: {key}: {exc.message}", markup=False, highlight=False)
    if fmt == "json":
        render.print_json(reports if all_ else reports[0])
    else:
        write = edits.markdown if fmt == "markdown" else edits.text
        typer.echo("\n".join(write(report) for report in reports), nl=False)
    if failed:
        raise SystemExit(1)


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
