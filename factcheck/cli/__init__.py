"""The command-line interface: parse, call a service, render.

Start-up time is part of the interface. Heavy imports (SQLAlchemy, pydantic, the services, rich)
stay inside the commands that need them, so `factcheck --help` loads none of the database stack;
and an invocation builds only the command it runs (see `main`), so `claim add` imports neither
the other commands' modules nor what they import.

The command modules do without `from __future__ import annotations` (but report and interchange,
whose type-checking-only imports need it): Typer reads every command's type hints when it builds
the application, and evaluating them from strings was about a third of that work.
"""

import functools
import importlib
import sys
from collections.abc import Callable, Collection
from typing import Annotated, Any

import typer
import typer.main

from factcheck import __version__
from factcheck.cli.errors import report as report_error
from factcheck.cli.parameters import Command, Group
from factcheck.cli.state import State, close_databases
from factcheck.limits import check_settings

# Every top-level command, in the order `--help` lists them: the module of factcheck.cli.commands
# it lives in and the attribute (a sub-Typer for a group, else the command's function). Modules
# are imported only for the commands an invocation can reach (see `main`).
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("setup", "init"),
    "seed": ("interchange", "seed"),
    "source": ("source", "app"),
    "claim": ("claim", "app"),
    "verdict": ("verdict", "app"),
    "link": ("links", "link"),
    "unlink": ("links", "unlink"),
    "entity": ("entity", "app"),
    "search": ("search", "search"),
    "report": ("report", "app"),
    "suggest": ("suggest", "app"),
    "extract": ("extract", "extract"),
    "import": ("interchange", "import_"),
    "export": ("interchange", "export"),
    "log": ("log", "log"),
    "db": ("db", "app"),
}
# The root options that take a value (`--db PATH`, `--as NAME`).
_ROOT_VALUE_OPTIONS = ("--db", "--as")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"factcheck {__version__}")
        raise typer.Exit()


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


def build(names: Collection[str] = COMMANDS) -> typer.Typer:
    """The application with these top-level commands (all of them by default)."""
    app = typer.Typer(
        name="factcheck",
        help="A claim-tracking fact-check database: log sources and the claims they make, anchor "
        "quotes, record verdicts and evidence, link claims that contradict or support each other.",
        cls=Group,
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
        rich_markup_mode=None,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
    app.callback()(root)
    for name, (module, attribute) in COMMANDS.items():
        if name not in names:
            continue
        target = getattr(importlib.import_module(f"factcheck.cli.commands.{module}"), attribute)
        if isinstance(target, typer.Typer):
            for info in target.registered_commands:
                info.cls = Command
            app.add_typer(target, name=name, cls=Group)
        else:
            app.command(name, cls=Command)(target)
    return app


def __getattr__(name: str) -> typer.Typer:
    """`app`, the whole application (for the docs and tests), built on first access."""
    if name != "app":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    app = globals()["app"] = build()
    return app


def invoked(args: list[str]) -> str | None:
    """The top-level command these arguments run, when that is certain without parsing: the
    first argument after the root options, if it names a command. None for `--help`,
    `--version`, no command, or anything unusual (the whole application then parses them)."""
    position = 0
    while position < len(args):
        arg = args[position]
        if arg in _ROOT_VALUE_OPTIONS:
            position += 2
        elif arg.startswith(tuple(f"{option}=" for option in _ROOT_VALUE_OPTIONS)):
            position += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg if arg in COMMANDS else None
    return None


@functools.cache
def _click_command(command: str | None) -> Callable[..., Any]:
    """The click command that runs `command` (None: the whole application), built once per
    process: Typer builds it anew on every call (about half of a short command's work in
    process, where tests and the benchmarks run thousands of invocations), and it holds no state
    of an invocation (that is in the click context and `State`)."""
    return typer.main.get_command(build([command]) if command is not None else build())


def main(args: list[str] | None = None) -> None:
    # A command's invocation builds only its own part of the application: Typer turns every
    # command it holds into a click command (reading signatures and type hints) before parsing,
    # and the other commands' modules need not be imported at all. Usage, help and errors of the
    # command are the same as in the whole application.
    command = invoked(sys.argv[1:] if args is None else args)
    try:
        check_settings()
        _click_command(command)(args=args, prog_name="factcheck")
    except SystemExit:
        raise
    except BaseException as exc:
        report_error(exc)
    finally:
        close_databases()
