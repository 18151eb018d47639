"""`factcheck db ...`: schema migrations, health checks and backups."""

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from factcheck.cli import render
from factcheck.cli.options import JsonOpt
from factcheck.cli.removal import YesOpt, ask, described, removed
from factcheck.cli.state import state

if TYPE_CHECKING:
    from factcheck.schemas import Removal

app = typer.Typer(help="Migrate, check and back up the database.")


@app.command("upgrade")
def upgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Upgrade the schema (to the newest revision unless one is given).

    Example: factcheck db upgrade
    """
    from factcheck.db import migrate

    database = state(ctx).database(migrate=False)
    migrate.upgrade(database.engine, revision)
    render.console.print(
        f"{database.location}: revision {migrate.current_revision(database.engine)}"
    )


# "-1" is a revision here, not an option.
@app.command("downgrade", context_settings={"ignore_unknown_options": True})
def downgrade(
    ctx: typer.Context,
    revision: Annotated[str, typer.Argument(help="Alembic revision: -1, base, or a revision id.")],
    yes: YesOpt = False,
) -> None:
    """Downgrade the schema. The tables a revision added go with their rows: a downgrade that
    would delete rows says how many and asks first on a terminal; elsewhere it needs --yes, and
    without it changes nothing.

    Example: factcheck db downgrade -1
    """
    from factcheck.db import migrate
    from factcheck.errors import WouldDelete

    database = state(ctx).database(migrate=False)
    try:
        # Run as if the answer were no: rolled back if it would delete anything.
        deleted = migrate.downgrade(database.engine, revision, None if yes else {})
    except WouldDelete as exc:
        ask(described(_dropped(exc.rows, revision), most=5), yes=False)
        # What was counted, and no more: rows added since are refused, not deleted.
        deleted = migrate.downgrade(database.engine, revision, exc.rows)
    current = migrate.current_revision(database.engine)
    render.console.print(f"{database.location}: revision {current or 'base (empty)'}")
    if deleted:
        removed(_dropped(deleted, revision), as_json=False)


def _dropped(rows: dict[str, int], revision: str) -> "Removal":
    """The rows a downgrade deletes, the largest tables first."""
    from factcheck.schemas import Removal

    total = sum(rows.values())
    ordered = dict(sorted(rows.items(), key=lambda item: (-item[1], item[0])))
    what = f"{total:,} {'row' if total == 1 else 'rows'} with the downgrade to {revision}"
    return Removal(what=what, rows=ordered)


@app.command("current")
def current(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Print the database's schema revision and whether it is the newest.

    Example: factcheck db current
    """
    from factcheck.db import migrate

    database = state(ctx).database(migrate=False)
    revision = migrate.current_revision(database.engine) if database.exists() else None
    head = migrate.HEAD_REVISION
    if json_:
        render.print_json({"database": database.location, "revision": revision, "head": head})
        return
    status = "up to date" if revision == head else f"head is {head}"
    render.console.print(f"{revision or 'none (not created yet)'} ({status})")


@app.command("check")
def check(ctx: typer.Context, json_: JsonOpt = False) -> None:
    """Check the database and say what to do about any problem (exit 1 if there is one).

    Both backends: schema revision and search index consistency. SQLite: its version, FTS5,
    journal mode, integrity and foreign keys. PostgreSQL: the server version and constraints.

    Example: factcheck db check
    """
    from factcheck.cli.console import Text
    from factcheck.services.maintenance import check as run_check

    database = state(ctx).database()
    with database.read() as session:
        report = run_check(session)
    if json_:
        render.print_json(report)
    else:
        render.console.print(Text(database.location, style="bold"))
        for item in report.items:
            mark = Text("ok  " if item.ok else "FAIL", style="green" if item.ok else "red bold")
            line = Text("  ").append_text(mark).append(f"  {item.name}: {item.value}")
            render.console.print(line)
            if item.advice:
                render.console.print(Text(f"        → {item.advice}", style="yellow"))
    if not report.ok:
        raise typer.Exit(1)


@app.command("reindex")
def reindex(ctx: typer.Context) -> None:
    """Rebuild the full-text search index from the claims and quotes, re-creating the
    database's history and search triggers first if `db check` finds one missing or changed.

    Example: factcheck db reindex
    """
    from factcheck.services.maintenance import reindex as run_reindex

    with state(ctx).database().write() as session:
        count = run_reindex(session)
    render.console.print(f"Indexed {count} claims.")


@app.command("backup")
def backup(
    ctx: typer.Context,
    destination: Annotated[Path, typer.Argument(metavar="DEST", help="File to write.")],
    force: Annotated[
        bool, typer.Option(help="Replace DEST if it exists (an older backup; never the database).")
    ] = False,
    json_: JsonOpt = False,
) -> None:
    """Write a consistent copy of the database while others keep working (SQLite backup API).

    Example: factcheck db backup backups/factcheck-2026-11-21.db
    """
    from factcheck.services.maintenance import backup as run_backup

    database = state(ctx).database()
    with database.read() as session:
        result = run_backup(session, destination, force=force)
    if json_:
        render.print_json(result)
    else:
        render.console.print(
            f"Backed up to {result.path} ({result.bytes} bytes, integrity {result.integrity})."
        )


@app.command("copy")
def copy(
    ctx: typer.Context,
    target: Annotated[
        str,
        typer.Argument(
            metavar="TARGET",
            help="A new database: a SQLite file path or a postgresql+psycopg:// URL.",
        ),
    ],
    json_: JsonOpt = False,
) -> None:
    """Copy every row of this database into a new one, history and ids included: how a team
    moves a SQLite file to PostgreSQL. TARGET is created (or upgraded) first and must hold no
    data; the copy is written in one transaction.

    Example: factcheck db copy postgresql+psycopg://factcheck@db.example.org/newsroom
    """
    from factcheck.errors import InvalidInput
    from factcheck.services.copy import copy_database

    source = state(ctx).database()
    destination = state(ctx).database(location=target)
    if destination.url == source.url:
        raise InvalidInput("TARGET is the database being copied")
    with source.read() as reading, destination.write() as writing:
        result = copy_database(reading, writing, source.location, destination.location)
    if json_:
        render.print_json(result)
    else:
        total = sum(result.rows.values())
        render.console.print(
            f"Copied {total} rows in {len(result.rows)} tables to {result.target}."
        )


@app.command("metadata")
def metadata(ctx: typer.Context) -> None:
    """Print Datasette metadata for this database: table and view descriptions, for a Datasette
    installed without factcheck (its plugin, installed with factcheck, gives them itself).

    Example: factcheck db metadata > metadata.json && datasette factcheck.db -m metadata.json
    """
    from factcheck.errors import InvalidInput
    from factcheck.services.metadata import datasette_metadata

    database = state(ctx).database()
    if database.dialect != "sqlite":
        raise InvalidInput(
            "Datasette serves SQLite files",
            hint="`factcheck db copy team.db` makes one from this database",
        )
    render.print_json(datasette_metadata(Path(database.location).stem))
