"""The one place where failures become messages: `Error: ...` on stderr, exit 1, no traceback."""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from factcheck.text import visible

if TYPE_CHECKING:
    from pydantic import ValidationError


def fail(message: str, hint: str | None = None, code: int = 1) -> NoReturn:
    typer.echo(f"Error: {_one_line(message)}", err=True)
    if hint:
        typer.echo(f"Hint: {_one_line(hint)}", err=True)
    raise SystemExit(code)


# An error line longer than this (it echoes a long argument) keeps its start and its end.
_READABLE = 300


def _one_line(text: str) -> str:
    line = " ".join(text.split())
    if len(line) > _READABLE:
        head, tail = line[: _READABLE - 80], line[-80:]
        cut = len(line) - len(head) - len(tail)
        line = f"{head} … ({cut:,} characters cut) … {tail}"
    return visible(line)


def report(exc: BaseException) -> NoReturn:
    """Turn any exception escaping a command into a clean exit; FACTCHECK_DEBUG=1 re-raises."""
    from pydantic import ValidationError

    from factcheck.errors import FactcheckError
    from factcheck.schemas import first_error

    if isinstance(exc, FactcheckError):
        fail(exc.message, exc.hint)
    if isinstance(exc, ValidationError):
        fail(first_error(exc))
    if isinstance(exc, UnicodeEncodeError):
        # An argument or environment value that was not UTF-8 (a lone surrogate in Python).
        fail("an argument is not valid UTF-8 text; nothing was changed")
    if isinstance(exc, KeyboardInterrupt):
        fail("interrupted; nothing was changed", code=130)
    if os.environ.get("FACTCHECK_DEBUG"):
        raise exc
    detail = _database_error(exc)
    if detail is not None:
        fail(
            f"database error: {detail}; nothing was changed",
            hint="`factcheck db check` diagnoses the database",
        )
    if isinstance(exc, OSError):
        fail(f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc))
    fail(
        f"unexpected {type(exc).__name__}: {exc}; nothing was changed",
        hint="this is a bug in factcheck; FACTCHECK_DEBUG=1 shows the traceback",
    )


def _database_error(exc: BaseException) -> BaseException | None:
    """The driver's error behind a failure of the database, if it is one: from a Store on sqlite3
    (db/database.py), from SQLAlchemy, or from a COPY on psycopg (db/bulk.py)."""
    import sqlite3  # here, not at start-up: only a failing command needs it

    psycopg = sys.modules.get("psycopg")  # loaded only by a command on PostgreSQL
    from_driver = isinstance(exc, sqlite3.Error) or (
        psycopg is not None and isinstance(exc, psycopg.Error)
    )
    if from_driver:
        return exc
    from sqlalchemy.exc import SQLAlchemyError

    if isinstance(exc, SQLAlchemyError):
        return getattr(exc, "orig", None) or exc
    return None


# The fields of the input models (factcheck/schemas.py) that commands fill from a parameter of
# another name (ClaimIn.tags from `--tag`, HistoryFilter.row_id from `--row`...): the only
# place that knows both names. A field named as its parameter needs no entry.
_PARAMETERS_OF_FIELD: dict[str, tuple[str, ...]] = {
    "tags": ("tag",),
    "add_tags": ("add_tag",),
    "remove_tags": ("remove_tag",),
    "entities": ("entity",),
    "add_entities": ("add_entity",),
    "remove_entities": ("remove_entity",),
    "aliases": ("alias",),
    "row_id": ("row",),
}


def validation_message(exc: ValidationError, params: list[Any]) -> str:
    """A command's input refused by validation, in the user's terms: the option or argument
    they typed (`--status`, `CLAIM_ID`) and what is wrong with its value, in words."""
    from factcheck.schemas import plain_message

    error = exc.errors()[0]
    fields = [part for part in error["loc"] if isinstance(part, str)]
    message = plain_message(error)
    if not fields:
        return message
    names = (fields[-1], *_PARAMETERS_OF_FIELD.get(fields[-1], ()))
    param = next((p for p in params if p.name in names), None)
    if param is None:  # set by the command itself, not typed: the field, in words
        return f"{fields[-1].replace('_', ' ')}: {message}"
    if param.param_type_name == "argument":
        return f"{param.metavar or param.name.upper()}: {message}"
    return f"{max(param.opts, key=len)}: {message}"


def usage(message: str) -> NoReturn:
    """Wrong usage (a missing argument when nobody can be asked): exit 2, as click does."""
    typer.echo(f"Error: {message}", err=True)
    typer.echo("Try 'factcheck --help' for help.", err=True)
    sys.exit(2)
