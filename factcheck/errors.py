"""Domain errors. Services raise them; the CLI turns them into one `Error: ...` line and exit 1."""


class FactcheckError(Exception):
    """A user or data error, explained in one line, optionally with a hint on what to do."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


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
