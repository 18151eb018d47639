"""Domain errors. Services raise them; the CLI turns them into one `Error: ...` line and exit 1."""

from __future__ import annotations

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
    """A change would delete rows nobody agreed to lose (a schema downgrade dropping tables);
    `rows` says how many, by table."""

    def __init__(self, rows: dict[str, int], action: str = "this") -> None:
        super().__init__(
            f"{action} would delete {rows_by_table(rows, most=5)}; nothing was changed",
            hint="pass --yes to delete them; `factcheck db backup` keeps a copy first",
        )
        self.rows = rows


def rows_by_table(rows: dict[str, int], most: int | None = None) -> str:
    """Rows as a person reads them, largest tables first: 1,302 rows (history 1,181, ...); with
    `most`, the other tables summed (an error stays one readable line)."""
    ordered = sorted(rows.items(), key=lambda r: (-r[1], r[0]))
    shown, rest = (ordered, []) if most is None else (ordered[:most], ordered[most:])
    listed = [f"{name} {count:,}" for name, count in shown]
    if rest:
        listed.append(f"{sum(count for _, count in rest):,} more in {len(rest)} other tables")
    total = sum(rows.values())
    return f"{total:,} {'row' if total == 1 else 'rows'} ({', '.join(listed)})"


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
