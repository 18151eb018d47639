"""The command-line interface: parse, call a service, render. Heavy imports stay inside commands
so that `factcheck --help` starts fast."""

from __future__ import annotations

from typing import Annotated

import typer

from factcheck import __version__
from factcheck.cli.commands import (
    claim,
    db,
    entity,
    report,
    source,
    toplevel,
    transfer,
    verdict,
)
from factcheck.cli.errors import report as report_error
from factcheck.cli.state import State, close_databases

app = typer.Typer(
    name="factcheck",
    help="A claim-tracking fact-check database: log sources and the claims they make, anchor "
    "quotes, record verdicts and evidence, link claims that contradict or support each other.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            metavar="PATH_OR_URL",
            help="SQLite file or SQLAlchemy URL (default: $FACTCHECK_DB, else ./factcheck.db).",
            show_default=False,
        ),
    ] = None,
    actor: Annotated[
        str | None,
        typer.Option(
            "--as",
            metavar="NAME",
            help="Who is acting, for the history (default: $FACTCHECK_USER, else your login).",
            show_default=False,
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """factcheck: log claims, anchor quotes, record verdicts, find contradictions."""
    ctx.obj = State(db=db, actor=actor)


app.command("init")(toplevel.init)
app.command("seed")(transfer.seed)
app.add_typer(source.app, name="source")
app.add_typer(claim.app, name="claim")
app.add_typer(verdict.app, name="verdict")
app.command("link")(toplevel.link)
app.command("unlink")(toplevel.unlink)
app.add_typer(entity.app, name="entity")
app.command("search")(toplevel.search)
app.add_typer(report.app, name="report")
app.command("import")(transfer.import_)
app.command("export")(transfer.export)
app.command("log")(toplevel.log)
app.add_typer(db.app, name="db")


def main(args: list[str] | None = None) -> None:
    try:
        app(args=args, prog_name="factcheck")
    except SystemExit:
        raise
    except BaseException as exc:
        report_error(exc)
    finally:
        close_databases()
