"""What the root command collects (`--db`, `--as`) and how commands open the database."""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from factcheck.db.database import Database
    from factcheck.outputs import OutputFile


# Databases opened by this invocation, closed when it ends (tests run many in one process).
_opened: list[Database] = []


def close_databases() -> None:
    while _opened:
        _opened.pop().close()


def interactive() -> bool:
    """Whether a person can answer prompts (commands prompt for missing arguments only then)."""
    return sys.stdin.isatty()


def ask_optional(label: str) -> str | None:
    """Prompt for a value the user may leave empty."""
    answer: str = typer.prompt(label, default="", show_default=False)
    return answer.strip() or None


def ask_choice(question: str, letters: str) -> str:
    """One of `letters`, asked until given (the end of the input counts as quitting: "q")."""
    while True:
        try:
            reply: str = typer.prompt(question, default="", show_default=False)
        except (EOFError, typer.Abort):
            return "q"
        answer = reply.strip().lower()[:1]
        if answer and answer in letters:
            return answer


@dataclass
class State:
    db: str | None = None
    actor: str | None = None

    def resolved_actor(self) -> str | None:
        """Who acts: `--as`, else FACTCHECK_USER, else the login name. One that is not UTF-8
        text is refused here (UnicodeEncodeError), before the database's history sees it, and
        so is one holding a control character: a newline in the name that every history row
        records would forge lines in `factcheck log`, an escape sequence restyle the terminal."""
        actor, origin = self.actor, "--as"
        if not actor:
            actor, origin = os.environ.get("FACTCHECK_USER"), "FACTCHECK_USER"
        if not actor:
            try:
                actor, origin = getpass.getuser(), "the login name"
            except (OSError, KeyError):
                return None
        actor.encode()
        from factcheck.text import control_character

        if (found := control_character(actor)) is not None:
            from factcheck.errors import InvalidInput

            raise InvalidInput(
                f"the name to act as ({origin}) contains the control character "
                f"U+{ord(found):04X}; nothing was changed",
                hint="give a name of one line, without escape sequences: --as NAME",
            )
        return actor

    def database(self, migrate: bool = True, location: str | None = None) -> Database:
        """The database (or the one at `location`), created or upgraded first unless `migrate`
        is off (the `db` commands)."""
        from factcheck.db.connection import chosen_database
        from factcheck.db.database import Database

        database = Database(chosen_database(location or self.db), self.resolved_actor())
        _opened.append(database)
        if migrate:
            database.ensure_schema()
        return database


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def output_file(
    database: Database, path: Path, force: bool, reading: Path | None = None
) -> OutputFile:
    """A file the command writes: never over its database, nor over the file it is `reading`."""
    from factcheck.outputs import OutputFile

    keep = {} if database.file is None else {database.file: "the database in use"}
    if reading is not None:
        keep[reading] = "the file being read"
    return OutputFile(path, force, keep)
