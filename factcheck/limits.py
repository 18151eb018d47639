"""How much factcheck takes in at once. Each limit is generous for real material and stops what
is not (a file that never ends, a 50 MB name that would slow every listing after it). A limit
is set in the environment, read once when a command starts; over it, the command stops with one
line naming the limit and its setting, and changes nothing.

The limits are documented in docs/design.md ("Limits").
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from typing import BinaryIO

from factcheck.errors import InvalidInput

_MIB = 1024 * 1024


@dataclass(frozen=True)
class Limit:
    what: str
    setting: str  # the environment variable that changes it
    default: int
    unit: str  # "characters", "seconds", or "MiB" for sizes in bytes

    @property
    def value(self) -> int:
        """The limit in force (characters, or bytes for a size); a setting that is not a whole
        number is refused by `check_settings` when the command starts."""
        number = self._setting() or self.default
        return number * _MIB if self.unit == "MiB" else number

    def _setting(self) -> int | None:
        raw = os.environ.get(self.setting, "").strip()
        if raw.isascii() and raw.isdigit() and 0 < int(raw) <= 10**12:
            return int(raw)
        return None

    def describe(self) -> str:
        shown = self.value // _MIB if self.unit == "MiB" else self.value
        return f"{shown:,} {self.unit} for {self.what} (set by {self.setting})"

    def exceeded(self, subject: str, row: int | None = None) -> InvalidInput:
        return InvalidInput(f"{subject} is over the limit of {self.describe()}", row=row)


# Whole files read at once: a source's text, a ClaimReview or AVeriTeC document.
FILE = Limit("a file read whole", "FACTCHECK_MAX_FILE_MB", 256, "MiB")
# One line of a file read line by line (a jsonl record, a CSV or LIAR row).
LINE = Limit("a line of a file", "FACTCHECK_MAX_LINE_MB", 64, "MiB")
# A web page fetched by `source add --url` or `source refresh` (what the server sends, decoded
# from any compression); a news article's HTML is rarely over 2 MiB.
PAGE = Limit("a web page", "FACTCHECK_MAX_PAGE_MB", 32, "MiB")
# How long a fetch may wait for the server (to connect, for each read) and take in all, so that
# a server that answers a byte at a time cannot hold a command for ever.
FETCH_TIME = Limit("fetching a web page", "FACTCHECK_FETCH_TIMEOUT", 30, "seconds")
# Names, tags, rating labels, claimants, authors, outlets, actors.
NAME = Limit("a name", "FACTCHECK_MAX_NAME", 1_000, "characters")
# A claim, a title, a quote, a URL.
TEXT = Limit("a text", "FACTCHECK_MAX_TEXT", 20_000, "characters")
# Notes and descriptions.
NOTES = Limit("a note", "FACTCHECK_MAX_NOTES", 1_000_000, "characters")
LIMITS = (FILE, LINE, PAGE, FETCH_TIME, NAME, TEXT, NOTES)


def check_settings() -> None:
    """Refuse a limit set in the environment to something that is not a whole number."""
    for limit in LIMITS:
        raw = os.environ.get(limit.setting, "").strip()
        if raw and limit._setting() is None:
            raise InvalidInput(
                f"{limit.setting} must be a whole number of {limit.unit}, not {raw!r}"
            )


def limit_of_length(length: int) -> Limit | None:
    """The length limit whose value this is (to name its setting in an error)."""
    return next((lim for lim in (NAME, TEXT, NOTES) if lim.value == length), None)


def read_whole(stream: BinaryIO, name: str) -> bytes:
    """All of a stream, or an error once it is longer than FILE (reading no more than that)."""
    limit = FILE.value
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise FILE.exceeded(name)
    return data


class _LineBounded(io.RawIOBase):
    """A binary stream that fails as soon as a line runs past LINE, so that a file that never
    ends a line (/dev/zero, a binary file) is refused before it fills memory."""

    def __init__(self, stream: BinaryIO, name: str) -> None:
        self.stream = stream
        self.name = name
        self.limit = LINE.value
        self.run = 0  # bytes since the last line break
        self.breaks = 0  # line feeds read so far

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        # No more than the limit at a time, so a line that starts and ends within one read is
        # within it; a longer one is the run before a read's first break, or after its last.
        data = self.stream.read(min(len(buffer), self.limit))
        size = len(data)
        buffer[:size] = data
        breaks = [at for at in (data.find(b"\n"), data.find(b"\r")) if at >= 0]
        if breaks:
            if self.run + min(breaks) > self.limit:
                raise LINE.exceeded(f"line {self.breaks + 1} of {self.name}")
            self.run = size - max(data.rfind(b"\n"), data.rfind(b"\r")) - 1
        else:
            self.run += size
        self.breaks += data.count(b"\n")
        if self.run > self.limit:
            raise LINE.exceeded(f"line {self.breaks + 1} of {self.name}")
        return size


def line_bounded(stream: BinaryIO, name: str) -> io.BufferedReader:
    """The stream, read through a buffer, failing on a line longer than LINE."""
    return io.BufferedReader(_LineBounded(stream, name), 1024 * 1024)
