"""Domain errors. Services raise them; the CLI turns them into one `Error: ...` line and exit 1."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol


class FactcheckError(Exception):
    """A user or data error, explained in one line, optionally with a hint on what to do.

    An error in one row of an imported file says which in `row` (the line, row, claim or review
    number its message starts with), so that `import --rejects` can set that row aside and go on.
    """

    def __init__(self, message: str, hint: str | None = None, *, row: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.row = row


class NotFound(FactcheckError):
    """A claim, source, link, label or other record that the user named does not exist."""


class InvalidInput(FactcheckError):
    """A value the user gave is malformed (a date, a key, an empty text, an unreadable file)."""


class Conflict(FactcheckError):
    """The change would duplicate or contradict what is stored (a duplicate link or key)."""


class QuoteNotAnchored(FactcheckError):
    """A quote could not be found in its source's text."""


class DatabaseProblem(FactcheckError):
    """The database cannot be opened, is not a factcheck database, or has an unknown schema."""


class WouldDelete(FactcheckError):
    """A change would delete rows nobody agreed to lose (a schema downgrade dropping tables):
    `rows` says how many it would delete, by table, `allowed` how many of them were agreed to."""

    def __init__(
        self, rows: dict[str, int], allowed: Mapping[str, int], action: str = "this"
    ) -> None:
        unagreed = sum(max(0, n - allowed.get(table, 0)) for table, n in rows.items())
        super().__init__(
            f"{action} would delete {unagreed:,} {'row' if unagreed == 1 else 'rows'} nobody "
            "agreed to; nothing was changed",
            hint="--yes removes without asking",
        )
        self.rows, self.allowed = rows, allowed


class SetAside(Protocol):
    """Where an import with `--rejects` puts the rows it refuses instead of failing.

    `written` says that other records of the refused row were already written, so the import
    has to be tried again without that row to leave no part of it behind.
    """

    def __call__(self, error: FactcheckError, written: bool = False) -> None: ...


def refuse(error: FactcheckError, set_aside: SetAside | None) -> None:
    """Raise the error, or set its row aside when the import keeps the good rows and the error
    names a row (an error about the whole file, such as a bad header, still stops everything)."""
    if set_aside is None or error.row is None:
        raise error
    set_aside(error)
