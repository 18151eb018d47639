"""Anchoring a quote in its source's text, and what adding a claim or an appearance reports.

Free of SQLAlchemy: the claims and sources services use it on a `Store` or an ORM session alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Protocol

from factcheck import text as textlib
from factcheck.errors import QuoteNotAnchored
from factcheck.schemas import AppearanceIn, Created


class SourceText(Protocol):
    """What anchoring needs of a source (a `models.Source`, or a row read directly)."""

    @property
    def key(self) -> str: ...

    @property
    def text(self) -> str | None: ...


@dataclass(frozen=True)
class Snapshot:
    """A source's key and text as read (or about to be written), for anchoring."""

    key: str
    text: str | None


class AppearanceCreated(Created):
    """A new appearance (and, from `claim add`, the new claim's id as `id`)."""

    appearance_id: int
    anchor_status: str
    start: int | None
    end: int | None
    warnings: list[str]


def _one_line(passage: str, limit: int = 160) -> str:
    passage = re.sub(r"\s+", " ", passage).strip()
    return passage if len(passage) <= limit else passage[: limit - 1] + "…"


def anchor_columns(source: SourceText, data: AppearanceIn, warnings: list[str]) -> dict[str, Any]:
    """The appearance's quote selector columns, or QuoteNotAnchored with the closest passage."""
    empty: dict[str, Any] = {
        "quote_entered": None,
        "quote_start": None,
        "quote_end": None,
        "prefix": None,
        "suffix": None,
    }
    if data.quote is None:
        return {**empty, "quote": None, "anchor_status": "none"}
    quote = data.quote
    if source.text is None:
        warnings.append(f"source {source.key!r} has no text snapshot: quote stored unanchored")
        return {**empty, "quote": quote, "anchor_status": "unanchored"}
    try:
        found = textlib.anchor(source.text, quote)
    except textlib.QuoteNotFound as exc:
        if data.unanchored:
            warnings.append(f"quote not found in source {source.key!r}: stored unanchored")
            return {**empty, "quote": quote, "anchor_status": "unanchored"}
        closest = exc.closest
        where = (
            f"; closest passage ({closest.similarity:.0%} similar, at {closest.start}): "
            f'"{_one_line(closest.passage)}"'
            if closest is not None
            else ""
        )
        raise QuoteNotAnchored(
            f"quote not found in source {source.key!r}{where}",
            hint="copy the quote from the source text, or pass --unanchored to keep it as given",
        ) from exc
    if found.occurrences > 1:
        warnings.append(
            f"the quote occurs {found.occurrences} times in {source.key!r}; anchored to the first"
        )
    return {
        "quote": found.exact,
        "quote_entered": quote if quote != found.exact else None,
        "quote_start": found.start,
        "quote_end": found.end,
        "prefix": found.prefix,
        "suffix": found.suffix,
        "anchor_status": found.status,
    }


def same_text_warning(claim_id: int) -> str:
    """The warning for a new claim worded exactly as an existing one."""
    return (
        f"claim {claim_id} has the same text; `factcheck claim cite {claim_id}` records another "
        "appearance of it"
    )
